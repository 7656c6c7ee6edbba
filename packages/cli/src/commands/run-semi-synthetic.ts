import { resolve } from 'node:path';
import {
  collect,
  compositeSize,
  configHash,
  estimateSemiSyntheticSeconds,
  loadDataset,
  parseSemiSyntheticConfig,
  runCells,
  runSemiSyntheticCell,
  SEMI_SYNTHETIC_PRESETS,
  semiSyntheticCells,
  STUDY_FILES,
  type CellResult,
  type SemiSyntheticConfig,
} from '@ltssl/experiments';
import type { RunContext } from '../global-options.js';
import { UsageError, type CliIO } from '../io.js';
import { bar, eta, formatDuration, Progress } from '../progress.js';
import { readJsonFile } from '../study-config.js';
import { startStudyDriver, type RunOptions } from './run.js';

/** The metrics a cell's line shows, in this order when present. */
const SHOWN: readonly [string, string][] = [
  ['rare.linear', 'rare probe'],
  ['gradcam.frequent.labelShare', 'label half: frequent'],
  ['gradcam.rare.labelShare', 'rare'],
];

function describeResult(r: CellResult): string {
  if (r.status === 'failed') return `FAILED: ${r.error}`;
  return SHOWN.filter(([m]) => r.metrics[m] !== undefined).map(([m, words]) => `${words} ${(100 * r.metrics[m]!).toFixed(1)}%`).join('  ');
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The configuration: the preset (none: the defaults), then the --config
 * file's fields (objects field by field; a study.json written by a run is
 * accepted too), then --data and --seeds; validated, every bad field named.
 */
export async function semiSyntheticConfig(o: RunOptions): Promise<SemiSyntheticConfig> {
  if (o.oodData) throw new UsageError('--ood-data does not apply to the semi-synthetic protocol: its probe is on the rare classes of its own composites');
  let raw: Record<string, unknown> = {};
  if (o.preset) {
    const preset = SEMI_SYNTHETIC_PRESETS[o.preset as keyof typeof SEMI_SYNTHETIC_PRESETS];
    if (!preset) throw new UsageError(`unknown semi-synthetic preset '${o.preset}'; choose one of: ${Object.keys(SEMI_SYNTHETIC_PRESETS).join(', ')} (or none, for the defaults)`);
    raw = { ...preset };
  }
  if (o.config) {
    const file = await readJsonFile(o.config, 'config file');
    const fields = isObject(file['config']) && file['protocol'] === 'semi-synthetic' ? file['config'] : file;
    for (const [k, v] of Object.entries(fields)) raw[k] = isObject(v) && isObject(raw[k]) ? { ...raw[k], ...v } : v;
  }
  if (o.data) raw['data'] = o.data;
  if (o.seeds !== undefined) raw['seeds'] = o.seeds;
  try {
    return parseSemiSyntheticConfig(raw);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

/**
 * `ltssl run semi-synthetic`: PAPER.md's semi-synthetic study. Each arm
 * (SimCLR, supervised, supervised-rare, random init) pre-trains on the
 * composites of a seed, then a linear probe on its frozen features is tested
 * on the rare classes, and Grad-CAM says which half the encoder's evidence
 * lies on. Cells and resume as for the other protocols; --dry-run lists the
 * cells and a measured estimate.
 */
export async function runSemiSyntheticCommand(context: RunContext, io: CliIO, o: RunOptions): Promise<number> {
  const config = await semiSyntheticConfig(o);
  const hash = configHash(config);
  const cells = semiSyntheticCells(config);
  const dir = resolve(o.out ?? `runs/semi-synthetic${o.preset ? `-${o.preset}` : ''}`);
  const progress = new Progress(io);
  const data = await loadDataset(config.data);
  const [height, width] = compositeSize(config, data.train.height, data.train.width);
  const F = config.frequentSources.length;
  const R = config.rareSources.length;
  progress.line(`semi-synthetic study: ${config.arms.join(', ')}; ${F} frequent classes x ${config.frequentCount} and ${R} rare x ${config.rareCount} (r = ${config.rareCount / config.frequentCount}); ${config.seeds} seed(s); ${cells.length} cells`);
  progress.line(
    `composites ${height} x ${width} from ${data.name} (frequent sources ${config.frequentSources.join(', ')}; rare ${config.rareSources.join(', ')}); ${config.encoder.arch} width ${config.encoder.width}; ${config.pretrain.epochs} epochs at batch ${config.pretrain.batch}; probe on ${R} x ${config.probe.perClass} rare composites; results in ${dir}`,
  );
  const { driver, info } = await startStudyDriver(context, io, progress);
  try {
    if (o.dryRun) {
      const seconds = await estimateSemiSyntheticSeconds(driver, config, cells, { channels: data.train.channels, height, width });
      for (const cell of cells) progress.line(`  ${cell.id}`);
      progress.line(`${cells.length} cells; estimated ${formatDuration(seconds)} on ${info.driver} (measured steps; finished cells in ${dir} would be skipped)`);
      return 0;
    }
    const seconds: number[] = [];
    const summary = await runCells({
      dir,
      protocol: 'semi-synthetic',
      config,
      configHash: hash,
      cells,
      onStart: (cell, i) => progress.status(`[${i + 1}/${cells.length}] ${cell.id}: starting`),
      runCell: (cell) =>
        runSemiSyntheticCell(cell, config, {
          driver,
          info,
          data,
          studyDir: dir,
          configHash: hash,
          progress: {
            onStep: (epoch, step, steps, loss) => progress.status(`${cell.id} ${bar(step + 1, steps)} epoch ${epoch + 1} step ${step + 1}/${steps} loss ${loss.toFixed(4)}`),
            onResume: (done) => progress.line(`${cell.id}: resuming from its checkpoint after epoch ${done}`),
          },
        }),
      onCell: (cell, outcome, result, i) => {
        if (outcome === 'skipped') return progress.line(`[${i + 1}/${cells.length}] ${cell.id}: done before, skipped`);
        seconds.push(result!.seconds);
        progress.line(`[${i + 1}/${cells.length}] ${cell.id}: ${describeResult(result!)}  (${formatDuration(result!.seconds)}, ETA ${eta(seconds, cells.length - i - 1)})`);
      },
    });
    const collected = await collect(dir);
    progress.line(`${summary.computed} computed, ${summary.skipped} skipped (done before), ${summary.failed} failed; results in ${dir} (${collected.cells} cells in ${STUDY_FILES.store} and ${STUDY_FILES.csv}; 'ltssl report ${o.out ?? dir}' draws the figures and the Grad-CAM overlays)`);
    return summary.failed > 0 ? 1 : 0;
  } finally {
    await driver.dispose();
  }
}
