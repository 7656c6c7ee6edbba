import type { DeviceInfo, Driver } from '@ltssl/core';
import type { CellContext, CellResult, CellSpec, LoadedDataset, PretrainProgress, ProtocolName } from '@ltssl/experiments';
import { bar, type Progress } from '../progress.js';
import type { StudyFlags } from '../study-config.js';

/** What a cell runner needs besides its configuration and data. */
export interface CellRunnerContext {
  readonly driver: Driver;
  readonly info: DeviceInfo;
  /** The study folder: cell results, checkpoints of cells in progress. */
  readonly dir: string;
  readonly configHash: string;
  readonly progress: Progress;
}

/**
 * One protocol as the CLI runs it: how its configuration is resolved, which
 * cells it plans, the data it loads and what computes one cell. `ltssl run`
 * (the whole sweep) and `ltssl cell` (one cell, for an external scheduler)
 * both go through it, so a cell computed either way is the same.
 */
export interface Study<C, D> {
  readonly protocol: ProtocolName;
  /** The validated configuration: the preset, then --config's fields (a study.json too), then the flags. */
  config(flags: StudyFlags): Promise<C>;
  cells(config: C): CellSpec[];
  /** The data its cells use, loaded once per process. */
  load(config: C): Promise<D>;
  runner(config: C, data: D, context: CellRunnerContext): (cell: CellSpec) => Promise<CellResult>;
  /** A finished cell's headline metrics, or why it failed, for its progress line. */
  describe(result: CellResult): string;
}

/** The config fields of a --config file: a study.json written by a run of this protocol ({ protocol, config }) or plain fields. */
export function configFields(file: Record<string, unknown>, protocol: ProtocolName): Record<string, unknown> {
  const inner = file['config'];
  return typeof inner === 'object' && inner !== null && !Array.isArray(inner) && file['protocol'] === protocol ? (inner as Record<string, unknown>) : file;
}

/** Headline metrics in percent, in the order given, those present. */
export function describeMetrics(result: CellResult, shown: readonly (readonly [metric: string, words: string])[]): string {
  if (result.status === 'failed') return `FAILED: ${result.error}`;
  return shown.filter(([m]) => result.metrics[m] !== undefined).map(([m, words]) => `${words} ${(100 * result.metrics[m]!).toFixed(1)}%`).join('  ');
}

/**
 * A pre-training cell's progress: a bar over all its steps (over the epoch's
 * steps when the cell's epochs are not known up front, as for the
 * semi-synthetic arms), and a line when it resumes from a checkpoint.
 */
export function cellProgress(progress: Progress, cell: CellSpec, epochs?: number): PretrainProgress {
  return {
    onStep: (epoch, step, steps, loss) => {
      const done = epochs === undefined ? bar(step + 1, steps) : bar(epoch * steps + step + 1, epochs * steps);
      progress.status(`${cell.id} ${done} epoch ${epoch + 1}${epochs === undefined ? '' : `/${epochs}`} step ${step + 1}/${steps} loss ${loss.toFixed(4)}`);
    },
    onResume: (done) => progress.line(`${cell.id}: resuming from its checkpoint after epoch ${done}`),
  };
}

/** What a pre-training protocol's cell function takes: the runner's context, the loaded data, the cell's progress. */
export function cellContext(context: CellRunnerContext, loaded: { readonly data: LoadedDataset; readonly ood?: LoadedDataset }, cell: CellSpec, epochs?: number): CellContext {
  const { driver, info, dir, configHash, progress } = context;
  return { driver, info, data: loaded.data, ...(loaded.ood ? { ood: loaded.ood } : {}), studyDir: dir, configHash, progress: cellProgress(progress, cell, epochs) };
}
