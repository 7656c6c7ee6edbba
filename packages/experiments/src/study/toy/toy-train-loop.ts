import { cosineLr, hostTensor, type Executable, type Feeds } from '@ltssl/core';
import { TrainingDivergedError } from '../../train/training-diverged.js';
import type { EpochMetrics } from '../../train/pretrain.js';

/** Windows of steps the history is averaged over (whatever the step count). */
const HISTORY_WINDOWS = 10;

/** What the loop needs from an arm: its compiled step and the feeds of each step. */
export interface ToyStepper {
  /** For errors: 'toy-sl', 'toy-ssl'. */
  readonly arm: string;
  /** A step program with inputs 'lr' and the feeds below, and outputs 'loss', 'gradNorm' and `monitors`. */
  readonly executable: Executable;
  readonly steps: number;
  /** Peak learning rate; cosine decay to 0 over the steps, so the last steps settle rather than jitter. */
  readonly lr: number;
  /** Every feed of step `step` except 'lr'. */
  feeds(step: number): Feeds;
  /** Outputs averaged into the history beside the loss. */
  readonly monitors: readonly string[];
  /** Passes over the training set one step makes (1 full-batch, B / n with minibatches): the history's epoch axis. */
  readonly epochsPerStep: number;
}

export interface ToyTraining {
  /**
   * Ten entries, each the mean over a window of steps. `epoch` is the window's
   * index (EpochMetrics counts whole units); the passes over the training set
   * done at its end are the monitor 'passes'.
   */
  readonly history: EpochMetrics[];
  /** The last step's outputs: 'loss', 'gradNorm' and the monitors. */
  readonly last: Readonly<Record<string, number>>;
}

/**
 * Runs an arm's steps, the one loop both arms share: the learning rate of each
 * step, a stop at the first non-finite loss or gradient norm (never carrying
 * NaN on), and a ten-point history.
 */
export async function runToySteps(s: ToyStepper): Promise<ToyTraining> {
  const fetch = ['loss', 'gradNorm', ...s.monitors];
  const window = Math.ceil(s.steps / HISTORY_WINDOWS);
  const history: EpochMetrics[] = [];
  const sums: Record<string, number> = Object.fromEntries(fetch.map((n) => [n, 0]));
  let last: Record<string, number> = {};
  let lastFinite: number | undefined;
  let started = Date.now();
  for (let step = 0; step < s.steps; step++) {
    const lr = hostTensor('float32', [], [cosineLr({ baseLr: s.lr, totalEpochs: s.steps }, step)]);
    const out = await s.executable.run({ ...s.feeds(step), lr }, fetch);
    last = Object.fromEntries(fetch.map((n) => [n, out[n]!.data[0]!]));
    if (!Number.isFinite(last['loss']) || !Number.isFinite(last['gradNorm'])) throw new TrainingDivergedError(s.arm, 0, step, last['loss']!, last['gradNorm']!, lastFinite);
    lastFinite = last['loss'];
    for (const n of fetch) sums[n]! += last[n]!;
    const inWindow = (step % window) + 1;
    if (inWindow === window || step === s.steps - 1) {
      const mean = (n: string): number => sums[n]! / inWindow;
      history.push({
        epoch: history.length,
        loss: mean('loss'),
        monitors: { passes: (step + 1) * s.epochsPerStep, ...Object.fromEntries(fetch.slice(1).map((n) => [n, mean(n)])) },
        seconds: (Date.now() - started) / 1000,
      });
      for (const n of fetch) sums[n] = 0;
      started = Date.now();
    }
  }
  return { history, last };
}
