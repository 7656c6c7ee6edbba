import { resolve } from 'node:path';
import { startDriver, type DeviceInfo, type Driver } from '@ltssl/core';
import {
  classIndex,
  collect,
  configHash,
  estimateImbalanceSeconds,
  imbalanceCells,
  loadDataset,
  runCells,
  runImbalanceCell,
  STUDY_FILES,
  type CellResult,
  type CellSpec,
  type LoadedDataset,
} from '@ltssl/experiments';
import { driverRegistrations } from '../container.js';
import type { RunContext } from '../global-options.js';
import { UsageError, type CliIO } from '../io.js';
import { bar, eta, formatDuration, Progress } from '../progress.js';
import { imbalanceConfig, type StudyFlags } from '../study-config.js';

export interface RunOptions extends StudyFlags {
  readonly out?: string;
  readonly dryRun?: boolean;
}

/** The metrics a cell's line shows, in this order when present. */
const SHOWN = ['id.linear', 'id.knn', 'id.tail', 'ood.linear'];

function describeResult(r: CellResult): string {
  if (r.status === 'failed') return `FAILED: ${r.error}`;
  return SHOWN.filter((m) => r.metrics[m] !== undefined).map((m) => `${m} ${(100 * r.metrics[m]!).toFixed(1)}%`).join('  ');
}

/** The datasets of an imbalance study; the OOD set is resized to the in-domain image size when it differs. */
export async function loadStudyData(config: { readonly data: string; readonly oodData: string | null }): Promise<{ data: LoadedDataset; ood?: LoadedDataset }> {
  const data = await loadDataset(config.data);
  if (!config.oodData) return { data };
  let ood = await loadDataset(config.oodData);
  if (ood.train.height !== data.train.height || ood.train.width !== data.train.width) {
    ood = await loadDataset(config.oodData, { resize: { height: data.train.height, width: data.train.width } });
  }
  if (ood.train.channels !== data.train.channels) throw new UsageError(`the out-of-domain set '${ood.name}' has ${ood.train.channels} channels, the in-domain set ${data.train.channels}: pick an OOD set with the same channels`);
  return { data, ood };
}

/** Starts the driver and says so; warns when auto had to fall back to the slow reference interpreter. */
export async function startStudyDriver(context: RunContext, io: CliIO, progress: Progress): Promise<{ driver: Driver; info: DeviceInfo }> {
  const started = await startDriver(driverRegistrations(context.container), context.options.backend);
  if (context.options.backend === 'auto') {
    for (const s of started.skipped) progress.line(`(auto skipped ${s.name}: ${s.reason.replace(/^driver '[^']*' cannot start: /, '')})`);
    if (started.registration.name === 'reference') io.stderr.write('warning: --backend auto landed on the reference driver, a slow interpreter: expect hours, or name a faster backend\n');
    if (started.info.details['software'] === 'true') io.stderr.write(`warning: --backend auto landed on driver '${started.registration.name}' on a software rasterizer (${started.info.device}): slower than the CPU drivers; name a faster backend\n`);
  }
  progress.line(`driver ${started.registration.name}: ${started.info.device}`);
  return { driver: started.driver, info: started.info };
}

/**
 * `ltssl run imbalance`: the sweep of methods x n x r x seeds, each cell
 * computed once (a rerun skips finished cells and resumes the one in progress
 * from its checkpoints), results in OUT/cells/*.json. --dry-run lists the cells
 * and a measured ETA.
 */
export async function runImbalanceCommand(context: RunContext, io: CliIO, o: RunOptions): Promise<number> {
  const config = await imbalanceConfig(o);
  const hash = configHash(config);
  const cells = imbalanceCells(config);
  const dir = resolve(o.out ?? `runs/imbalance-${o.preset ?? 'quick'}`);
  const progress = new Progress(io);
  const { data, ood } = await loadStudyData(config);
  progress.line(`imbalance study: ${config.methods.join(', ')}${config.randomInit ? ' + random init' : ''}; n in {${config.sizes.join(', ')}}, r in {${config.ratios.join(', ')}} (${config.profile}); ${config.seeds} seed(s); ${cells.length} cells`);
  progress.line(`data ${data.name}${ood ? `, out of domain ${ood.name}` : ''}; ${config.encoder.arch} width ${config.encoder.width}; ${config.pretrain.epochs} epochs at batch ${config.pretrain.batch}; results in ${dir}`);
  const { driver, info } = await startStudyDriver(context, io, progress);
  try {
    if (o.dryRun) {
      const seconds = await estimateImbalanceSeconds(driver, config, cells, {
        channels: data.train.channels,
        height: data.train.height,
        width: data.train.width,
        classes: data.train.classes,
        testCount: data.test.count,
        probeTrainCount: Math.min(...classIndex(data.train).available) * data.train.classes,
        oodCount: ood ? ood.test.count + config.probe.oodPerClass * ood.train.classes : 0,
      });
      for (const cell of cells) progress.line(`  ${cell.id}`);
      progress.line(`${cells.length} cells; estimated ${formatDuration(seconds)} on ${info.driver} (measured steps; finished cells in ${dir} would be skipped)`);
      return 0;
    }
    const seconds: number[] = [];
    const summary = await runCells({
      dir,
      protocol: 'imbalance',
      config,
      configHash: hash,
      cells,
      onStart: (cell, i) => progress.status(`[${i + 1}/${cells.length}] ${cell.id}: starting`),
      runCell: (cell: CellSpec) =>
        runImbalanceCell(cell, config, {
          driver,
          info,
          data,
          ...(ood ? { ood } : {}),
          studyDir: dir,
          configHash: hash,
          progress: {
            onStep: (epoch, step, steps, loss) =>
              progress.status(`${cell.id} ${bar(epoch * steps + step + 1, config.pretrain.epochs * steps)} epoch ${epoch + 1}/${config.pretrain.epochs} step ${step + 1}/${steps} loss ${loss.toFixed(4)}`),
            onResume: (done) => progress.line(`${cell.id}: resuming from its checkpoint after epoch ${done}`),
          },
        }),
      onCell: (cell, outcome, result, i) => {
        if (outcome === 'skipped') return progress.line(`[${i + 1}/${cells.length}] ${cell.id}: done before, skipped`);
        seconds.push(result!.seconds);
        const remaining = cells.length - i - 1;
        progress.line(`[${i + 1}/${cells.length}] ${cell.id}: ${describeResult(result!)}  (${formatDuration(result!.seconds)}, ETA ${eta(seconds, remaining)})`);
      },
    });
    // The cell files are the source of truth; the SQLite store and results.csv are rebuilt from them.
    const collected = await collect(dir);
    progress.line(`${summary.computed} computed, ${summary.skipped} skipped (done before), ${summary.failed} failed; results in ${dir} (${collected.cells} cells in ${STUDY_FILES.store} and ${STUDY_FILES.csv}; 'ltssl report ${o.out ?? dir}' draws the figures)`);
    return summary.failed > 0 ? 1 : 0;
  } finally {
    await driver.dispose();
  }
}
