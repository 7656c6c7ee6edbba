import { collect, runCells, STUDY_FILES, type CellSpec } from '@ltssl/experiments';
import { eta, formatDuration } from '../progress.js';
import type { CellRunnerContext, Study } from './study.js';

export interface SweepOptions<C> {
  readonly config: C;
  /** The cells to compute now, in order. */
  readonly cells: readonly CellSpec[];
  /** The study's whole plan (for plan.json); default `cells`. */
  readonly planned?: readonly CellSpec[];
  /**
   * Rebuild results.sqlite and results.csv from the cell files at the end.
   * Off for `ltssl cell`: machines sharing a folder must never share one SQLite
   * file; `ltssl collect` merges their results once they are done.
   */
  readonly collect: boolean;
  /** The folder as the user named it, for the hint to run `ltssl report`. */
  readonly shownDir: string;
}

/**
 * Computes a study's cells with a progress line per cell (its headline
 * metrics, time and ETA): finished cells of the same configuration are
 * skipped, a failed cell is recorded and the sweep goes on. Exit code 1 when
 * a cell failed.
 */
export async function runSweep<C, D>(study: Study<C, D>, data: D, context: CellRunnerContext, o: SweepOptions<C>): Promise<number> {
  const { progress, dir } = context;
  const total = o.cells.length;
  const seconds: number[] = [];
  const summary = await runCells({
    dir,
    protocol: study.protocol,
    config: o.config,
    configHash: context.configHash,
    cells: o.cells,
    ...(o.planned ? { planned: o.planned } : {}),
    onStart: (cell, i) => progress.status(`[${i + 1}/${total}] ${cell.id}: starting`),
    runCell: study.runner(o.config, data, context),
    onCell: (cell, outcome, result, i) => {
      if (outcome === 'skipped') return progress.line(`[${i + 1}/${total}] ${cell.id}: done before, skipped`);
      seconds.push(result!.seconds);
      progress.line(`[${i + 1}/${total}] ${cell.id}: ${study.describe(result!)}  (${formatDuration(result!.seconds)}, ETA ${eta(seconds, total - i - 1)})`);
    },
  });
  const counts = `${summary.computed} computed, ${summary.skipped} skipped (done before), ${summary.failed} failed`;
  if (o.collect) {
    // The cell files are the source of truth; the SQLite store and results.csv are rebuilt from them.
    const collected = await collect(dir);
    progress.line(`${counts}; results in ${dir} (${collected.cells} cells in ${STUDY_FILES.store} and ${STUDY_FILES.csv}; 'ltssl report ${o.shownDir}' draws the figures)`);
  } else {
    progress.line(`${counts}; result files in ${dir}/${STUDY_FILES.cells} ('ltssl collect ${o.shownDir}' merges them into ${STUDY_FILES.store})`);
  }
  return summary.failed > 0 ? 1 : 0;
}
