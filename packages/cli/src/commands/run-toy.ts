import { resolve } from 'node:path';
import { cellEnvironment, collect, configHash, parseToyConfig, runCells, runToyCell, STUDY_FILES, toyCells, type CellResult } from '@ltssl/experiments';
import type { RunContext } from '../global-options.js';
import { UsageError, type CliIO } from '../io.js';
import { eta, formatDuration, Progress } from '../progress.js';
import { readJsonFile } from '../study-config.js';
import { startStudyDriver, type RunOptions } from './run.js';

/**
 * `ltssl run toy`: SL vs SSL on PAPER.md's Gaussian toy model, at several
 * rare-class ratios and seeds (seconds on a CPU). Metrics per cell: how much
 * of e2 the learned representation keeps, and the few-shot probe's rare-class
 * accuracy. Cells and resume work as for the imbalance study.
 */
export async function runToyCommand(context: RunContext, io: CliIO, o: RunOptions): Promise<number> {
  if (o.preset) throw new UsageError('--preset applies to the imbalance protocol; the toy protocol takes --config');
  if (o.data || o.oodData) throw new UsageError('--data and --ood-data apply to the imbalance protocol; the toy data is generated');
  const raw = o.config ? await readJsonFile(o.config, 'config file') : {};
  let config;
  try {
    config = parseToyConfig({ ...(typeof raw['config'] === 'object' && raw['protocol'] === 'toy' ? raw['config'] : raw), ...(o.seeds !== undefined ? { seeds: o.seeds } : {}) });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const hash = configHash(config);
  const cells = toyCells(config);
  const dir = resolve(o.out ?? 'runs/toy');
  const progress = new Progress(io);
  progress.line(`toy study: ${config.arms.join(' vs ')}; rare ratios r in {${config.ratios.join(', ')}}; d ${config.dim}, tau ${config.tau}, rho ${config.rho}; ${config.seeds} seed(s); ${cells.length} cells; results in ${dir}`);
  const { driver, info } = await startStudyDriver(context, io, progress);
  try {
    if (o.dryRun) {
      for (const cell of cells) progress.line(`  ${cell.id}`);
      progress.line(`${cells.length} cells (about a second each on a CPU driver)`);
      return 0;
    }
    const seconds: number[] = [];
    const summary = await runCells({
      dir,
      protocol: 'toy',
      config,
      configHash: hash,
      cells,
      onStart: (cell, i) => progress.status(`[${i + 1}/${cells.length}] ${cell.id}`),
      runCell: async (cell) => {
        const startedAt = new Date();
        const outcome = await runToyCell(driver, cell, config);
        const finishedAt = new Date();
        const result: CellResult = {
          cell,
          configHash: hash,
          status: 'done',
          startedAt: startedAt.toISOString(),
          finishedAt: finishedAt.toISOString(),
          seconds: (finishedAt.getTime() - startedAt.getTime()) / 1000,
          classCounts: outcome.classCounts,
          metrics: outcome.metrics,
          perClass: outcome.perClass,
          epochs: outcome.epochs,
          memory: { peakRssBytes: process.resourceUsage().maxRSS * 1024 },
          environment: cellEnvironment(info),
          data: outcome.data,
        };
        return result;
      },
      onCell: (cell, outcome, result, i) => {
        if (outcome === 'skipped') return progress.line(`[${i + 1}/${cells.length}] ${cell.id}: done before, skipped`);
        seconds.push(result!.seconds);
        const shown = Object.entries(result!.metrics).map(([k, v]) => `${k} ${v.toFixed(3)}`).join('  ');
        progress.line(`[${i + 1}/${cells.length}] ${cell.id}: ${result!.status === 'done' ? shown : `FAILED: ${result!.error}`}  (${formatDuration(result!.seconds)}, ETA ${eta(seconds, cells.length - i - 1)})`);
      },
    });
    const collected = await collect(dir);
    progress.line(`${summary.computed} computed, ${summary.skipped} skipped, ${summary.failed} failed; ${collected.cells} cells in ${STUDY_FILES.store} and ${STUDY_FILES.csv} of ${dir}`);
    return summary.failed > 0 ? 1 : 0;
  } finally {
    await driver.dispose();
  }
}
