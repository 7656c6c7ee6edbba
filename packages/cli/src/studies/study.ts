import type { DeviceInfo, Driver } from '@ltssl/core';
import type { CellContext, CellResult, CellRun, CellSpec, LoadedDataset, OnMeasure, PhaseProgress, PretrainProgress, PretrainSubsets, ProtocolName, SizeCheck } from '@ltssl/experiments';
import type { Progress } from '../progress.js';
import type { FieldFlag } from '../study-config.js';

/** What a cell runner needs besides its configuration and data. */
export interface CellRunnerContext {
  readonly driver: Driver;
  readonly info: DeviceInfo;
  /** The study folder: cell results, checkpoints of cells in progress. */
  readonly dir: string;
  readonly configHash: string;
  readonly progress: Progress;
  /** Stops the sweep (SIGINT, SIGTERM, SIGHUP, the folder's lock lost): cells stop at the end of a step. */
  readonly signal?: AbortSignal;
}

/** Flags a protocol does not take, and why: '--ood-data does not apply to the semi-synthetic protocol: <because>'. */
export interface FlagRefusal {
  readonly flags: readonly FieldFlag[];
  readonly because: string;
}

/**
 * One protocol as the CLI runs it: how its configuration is resolved, which
 * cells it plans, the data it loads and what that data must hold, what
 * computes one cell, and what a run prints. `ltssl run <protocol>` (the
 * whole sweep) and `ltssl cell` (one cell, for an external scheduler) both go
 * through `runStudyCommand` with it, so a cell computed either way is the
 * same; what differs between protocols is a field here, never a command.
 */
export interface Study<C, D> {
  readonly protocol: ProtocolName;
  /** The schema: validates the merged fields (preset, then --config, then flags; see resolveConfig), naming every bad field. */
  parse(raw: unknown): C;
  /**
   * Named starting configurations for --preset; `default` is used when none
   * is named (without one, the schema's defaults are). `needsData`: presets
   * that name data this checkout lacks, with the message when neither --data
   * nor --config is given.
   */
  readonly presets?: { readonly named: Readonly<Record<string, object>>; readonly default?: string; readonly needsData?: Readonly<Record<string, string>> };
  /** Flags that do not apply to the protocol, each refused with its reason. */
  readonly refuses?: readonly FlagRefusal[];
  cells(config: C): CellSpec[];
  /** The data its cells use, loaded once per process; `dir` is the study folder (decoded ImageFolder images are cached under it). */
  load(config: C, dir: string): Promise<D>;
  /** What the configuration asks of the loaded data, against what it holds (before any work; a problem is a usage error). */
  checkSizes(config: C, data: D): SizeCheck;
  /** The lines that open a run: the sweep, its data, where the results go. */
  header(config: C, data: D, cells: readonly CellSpec[], dir: string): string[];
  /** --dry-run's estimate of the sweep in seconds, from timed steps on the driver; without one, `cellTime` says what a cell takes. */
  estimate?(driver: Driver, config: C, cells: readonly CellSpec[], data: D, onMeasure: OnMeasure): Promise<number>;
  readonly cellTime?: string;
  /** Computes one cell; `run` holds its clock (carried across a resume) and the signal that stops it. */
  runner(config: C, data: D, context: CellRunnerContext): (cell: CellSpec, run: CellRun) => Promise<CellResult>;
  /** A finished cell's headline metrics, or why it failed, for its progress line. */
  describe(result: CellResult): string;
}

/** Headline metrics in percent, in the order given, those present. */
export function describeMetrics(result: CellResult, shown: readonly (readonly [metric: string, words: string])[]): string {
  if (result.status === 'failed') return `FAILED: ${result.error}`;
  return shown.filter(([m]) => result.metrics[m] !== undefined).map(([m, words]) => `${words} ${(100 * result.metrics[m]!).toFixed(1)}%`).join('  ');
}

/**
 * A cell's progress: its phases (pre-training over all its steps, or over the
 * epoch's when the cell's epochs are not known up front, as for the
 * semi-synthetic arms; then features, probes, kNN, fine-tuning) with loss and
 * ETA, and a line when it resumes from a checkpoint.
 */
export function cellProgress(progress: Progress, cell: CellSpec, epochs?: number): PretrainProgress & PhaseProgress {
  return {
    onStep: (epoch, step, steps, loss) =>
      epochs === undefined ? progress.phase(cell.id, `pre-training epoch ${epoch + 1}`, step + 1, steps, loss) : progress.phase(cell.id, 'pre-training', epoch * steps + step + 1, epochs * steps, loss),
    onPhaseStep: (phase, done, total, loss) => progress.phase(cell.id, phase, done, total, loss),
    onResume: (done) => progress.line(`${cell.id}: resuming from its checkpoint after epoch ${done}`),
  };
}

/** What a pre-training protocol's cell function takes: the runner's context, the loaded data, the cell's progress. */
export function cellContext(
  context: CellRunnerContext,
  loaded: { readonly data: LoadedDataset; readonly ood?: LoadedDataset; readonly subsets?: PretrainSubsets },
  cell: CellSpec,
  run: CellRun,
  epochs?: number,
): CellContext {
  const { driver, info, dir, configHash, progress } = context;
  return { driver, info, data: loaded.data, ...(loaded.ood ? { ood: loaded.ood } : {}), ...(loaded.subsets ? { subsets: loaded.subsets } : {}), studyDir: dir, configHash, progress: cellProgress(progress, cell, epochs), clock: run.clock, signal: run.signal };
}
