import { join } from 'node:path';
import { collect, describeLeaseOwner, openStudyStore, runCells, STUDY_FILES, type CellSpec, type ResultsStore } from '@ltssl/experiments';
import { ERROR_CODES, hasErrorCode } from '@ltssl/core';
import { eta, formatDuration } from '../progress.js';
import type { CellRunnerContext, Study } from './study.js';

export interface SweepOptions<C> {
  readonly config: C;
  /** The cells to compute now, in order. */
  readonly cells: readonly CellSpec[];
  /** The study's whole plan (for plan.json); default `cells`. */
  readonly planned?: readonly CellSpec[];
  /**
   * Write each cell into results.sqlite as it finishes, then check the store
   * against every cell file and rewrite results.csv at the end. Off for
   * `ltssl cell`: machines sharing a folder must never share one SQLite file;
   * `ltssl collect` merges their results once they are done.
   */
  readonly collect: boolean;
  /** The folder as the user named it, for the hint to run `ltssl report`. */
  readonly shownDir: string;
  /** Who computes the cells, for the leases' owner files: "ltssl run toy". */
  readonly holder: string;
}

/**
 * Computes a study's cells with a progress line per cell (its headline
 * metrics, time and ETA): finished cells of the same configuration are
 * skipped, a cell another process holds the lease of is left to it, a failed
 * cell is recorded and the sweep goes on. Exit code 1 when a cell failed. A
 * stop (context.signal) and a folder that refuses a write end it by throwing.
 */
export async function runSweep<C, D>(study: Study<C, D>, data: D, context: CellRunnerContext, o: SweepOptions<C>): Promise<number> {
  const { progress, dir } = context;
  const total = o.cells.length;
  const seconds: number[] = [];
  let store: ResultsStore | undefined;
  if (o.collect) {
    const opened = await openStudyStore(join(dir, STUDY_FILES.store));
    store = opened.store;
    if (opened.replaced) progress.line(`${opened.replaced.why}: moved it to ${opened.replaced.movedTo}; the store is rebuilt from the cell files`);
  }
  let summary;
  // Piped (a Slurm or CI log), a cell's step line is repeated every 5 minutes even while one step runs longer.
  const stopHeartbeat = progress.heartbeat();
  try {
    summary = await runCells({
      dir,
      protocol: study.protocol,
      config: o.config,
      configHash: context.configHash,
      cells: o.cells,
      ...(o.planned ? { planned: o.planned } : {}),
      ...(context.signal ? { signal: context.signal } : {}),
      holder: o.holder,
      onStart: (cell, i) => progress.status(`[${i + 1}/${total}] ${cell.id}: starting`),
      onRejected: (cell, rejected) => progress.line(`${rejected.file}: ${rejected.reason.replace(/; delete it and rerun the study to recompute the cell$/, '')}; computing ${cell.id} again`),
      runCell: study.runner(o.config, data, context),
      onCell: (cell, outcome, result, i, heldBy) => {
        if (outcome === 'skipped') return progress.line(`[${i + 1}/${total}] ${cell.id}: done before, skipped`);
        if (outcome === 'busy') return progress.line(`[${i + 1}/${total}] ${cell.id}: being computed by ${describeLeaseOwner(heldBy)}; left to it`);
        seconds.push(result!.seconds);
        try {
          store?.putCell(result!);
        } catch (error) {
          // A result the store refuses is reported; its cell file stays the record. Anything else stops the sweep.
          if (!hasErrorCode(error, ERROR_CODES.dataInvalid) || (error as Error).name === 'StoreDamagedError') throw error;
          progress.line(`${cell.id}: ${(error as Error).message}`);
        }
        const described = study.describe(result!);
        progress.line(`[${i + 1}/${total}] ${cell.id}: ${result!.status === 'failed' ? progress.paint(described, 'red') : described}  (${formatDuration(result!.seconds)}, ETA ${eta(seconds, total - i - 1)})`);
      },
    });
  } finally {
    stopHeartbeat();
    store?.close();
  }
  const busy = summary.busy > 0 ? `, ${summary.busy} being computed by other processes` : '';
  const counts = `${summary.computed} computed, ${summary.skipped} skipped (done before), ${summary.failed} failed${busy}`;
  if (o.collect) {
    // The cell files are the source of truth: the store is checked against each of them, row by row.
    const collected = await collect(dir);
    const repaired = collected.repaired + collected.replaced + collected.removed > 0 ? `; the store disagreed with the cell files on ${collected.repaired + collected.replaced + collected.removed} cells and was corrected` : '';
    progress.line(`${counts}; results in ${dir} (${collected.cells} cells in ${STUDY_FILES.store} and ${STUDY_FILES.csv}${repaired}; 'ltssl report ${o.shownDir}' draws the figures)`);
  } else {
    progress.line(`${counts}; result files in ${dir}/${STUDY_FILES.cells} ('ltssl collect ${o.shownDir}' merges them into ${STUDY_FILES.store})`);
  }
  return summary.failed > 0 ? 1 : 0;
}
