import { resolve } from 'node:path';
import { collect, configHash, parseRwsamConfig, runCells, runRwsamCell, rwsamCells, STUDY_FILES } from '@ltssl/experiments';
import type { RunContext } from '../global-options.js';
import { UsageError, type CliIO } from '../io.js';
import { bar, eta, formatDuration, Progress } from '../progress.js';
import { readJsonFile } from '../study-config.js';
import { loadStudyData, startStudyDriver, type RunOptions } from './run.js';

const SHOWN = ['id.linear', 'id.tail', 'id.fewshot10', 'id.knn', 'ood.linear'];

/**
 * `ltssl run rwsam`: SimSiam vs +SAM vs +rwSAM (vs the label oracle) vs
 * SimSiam on balanced data of the same n, for step and exponential
 * imbalance. Cells and resume as for the other protocols.
 */
export async function runRwsamCommand(context: RunContext, io: CliIO, o: RunOptions): Promise<number> {
  if (o.preset) throw new UsageError('--preset applies to the imbalance protocol; the rwsam protocol takes --config');
  const raw = o.config ? await readJsonFile(o.config, 'config file') : {};
  let config;
  try {
    const base = typeof raw['config'] === 'object' && raw['protocol'] === 'rwsam' ? (raw['config'] as Record<string, unknown>) : raw;
    config = parseRwsamConfig({ ...base, ...(o.data ? { data: o.data } : {}), ...(o.oodData ? { oodData: o.oodData } : {}), ...(o.seeds !== undefined ? { seeds: o.seeds } : {}) });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const hash = configHash(config);
  const cells = rwsamCells(config);
  const dir = resolve(o.out ?? 'runs/rwsam');
  const progress = new Progress(io);
  const sam = `${config.sam.adaptive ? 'ASAM' : 'SAM'} rho ${config.sam.rho}`;
  progress.line(`rwsam study: ${config.variants.join(', ')}; ${config.profiles.join(' and ')} imbalance at r = ${config.ratio}, n = ${config.size}; ${sam}; ${config.seeds} seed(s); ${cells.length} cells; results in ${dir}`);
  const { data, ood } = await loadStudyData(config);
  const { driver, info } = await startStudyDriver(context, io, progress);
  try {
    if (o.dryRun) {
      for (const cell of cells) progress.line(`  ${cell.id}`);
      progress.line(`${cells.length} cells`);
      return 0;
    }
    const seconds: number[] = [];
    const summary = await runCells({
      dir,
      protocol: 'rwsam',
      config,
      configHash: hash,
      cells,
      onStart: (cell, i) => progress.status(`[${i + 1}/${cells.length}] ${cell.id}: starting`),
      runCell: (cell) =>
        runRwsamCell(cell, config, {
          driver,
          info,
          data,
          ...(ood ? { ood } : {}),
          studyDir: dir,
          configHash: hash,
          progress: {
            onStep: (epoch, step, steps, loss) => progress.status(`${cell.id} ${bar(epoch * steps + step + 1, config.pretrain.epochs * steps)} epoch ${epoch + 1}/${config.pretrain.epochs} loss ${loss.toFixed(4)}`),
            onResume: (done) => progress.line(`${cell.id}: resuming from its checkpoint after epoch ${done}`),
          },
        }),
      onCell: (cell, outcome, result, i) => {
        if (outcome === 'skipped') return progress.line(`[${i + 1}/${cells.length}] ${cell.id}: done before, skipped`);
        seconds.push(result!.seconds);
        const shown = result!.status === 'done' ? SHOWN.filter((m) => result!.metrics[m] !== undefined).map((m) => `${m} ${(100 * result!.metrics[m]!).toFixed(1)}%`).join('  ') : `FAILED: ${result!.error}`;
        progress.line(`[${i + 1}/${cells.length}] ${cell.id}: ${shown}  (${formatDuration(result!.seconds)}, ETA ${eta(seconds, cells.length - i - 1)})`);
      },
    });
    const collected = await collect(dir);
    progress.line(`${summary.computed} computed, ${summary.skipped} skipped, ${summary.failed} failed; ${collected.cells} cells in ${STUDY_FILES.store} and ${STUDY_FILES.csv} of ${dir}`);
    return summary.failed > 0 ? 1 : 0;
  } finally {
    await driver.dispose();
  }
}
