import { cosineLr, hostTensor, type Executable, type Feeds } from '@ltssl/core';
import { StopRequestedError } from './stop-requested.js';
import { TrainingDivergedError } from './training-diverged.js';

/** One epoch's steps: how many, and every feed of each step but 'lr'. */
export interface FitEpoch {
  readonly steps: number;
  feeds(step: number): Feeds;
}

/** What one step gave: its place, its learning rate and the fetched scalars. */
export interface FitStep {
  readonly epoch: number;
  readonly step: number;
  /** Steps in this epoch. */
  readonly steps: number;
  readonly lr: number;
  /** 'loss', 'gradNorm' where the program outputs it, then the monitors, in that order. */
  readonly values: Readonly<Record<string, number>>;
}

/** Hooks into the loop, called in the order given; an async hook is awaited before the loop goes on. */
export interface FitCallbacks {
  /** Before the epoch's first step (and before its feeds are asked for). */
  onEpochStart?(epoch: number): void | Promise<void>;
  /** After a step whose checked values were finite. */
  onStep?(step: FitStep): void | Promise<void>;
  /** After the epoch's last step: each fetched scalar's mean over the epoch's steps. */
  onEpochEnd?(epoch: number, means: Readonly<Record<string, number>>): void | Promise<void>;
  /**
   * When the plan's signal stops the loop, before the next step: `step` steps
   * of `epoch` are done and `sums` holds their fetched scalars' sums, what a
   * checkpoint needs to resume there (startEpoch, startStep, startSums).
   */
  onStop?(at: FitStop): void | Promise<void>;
}

/** Where a stopped loop stopped. */
export interface FitStop {
  readonly epoch: number;
  /** Steps of `epoch` done. */
  readonly step: number;
  readonly sums: Readonly<Record<string, number>>;
}

/** What `fit` trains: a step program and, per epoch, its steps' feeds and learning rates. */
export interface FitPlan {
  /** What trains, named in the divergence error: 'simclr', 'linear probe', 'fine-tune', 'toy-sl'. */
  readonly name: string;
  /** A step program: input 'lr' [] and the epochs' feeds; outputs 'loss' [] and optionally 'gradNorm' []. */
  readonly executable: Executable;
  readonly epochs: number;
  /** The first epoch to run: a resumed run's epochs done. Default 0. */
  readonly startEpoch?: number;
  /** Steps of the first epoch already done (a run resumed mid-epoch) and their scalars' sums. Default 0, none. */
  readonly startStep?: number;
  readonly startSums?: Readonly<Record<string, number>>;
  /** Checked before every step: once aborted, the loop calls onStop and throws a StopRequestedError. */
  readonly signal?: AbortSignal;
  epoch(epoch: number): FitEpoch;
  /** The learning rate fed to step `step` of the `steps` of epoch `epoch`. */
  lr(epoch: number, step: number, steps: number): number;
  /** Scalar outputs fetched beside 'loss' and 'gradNorm' and averaged per epoch (not checked). */
  readonly monitors?: readonly string[];
  readonly callbacks?: readonly FitCallbacks[];
}

export interface FitResult {
  /** The last step's fetched scalars (undefined when no step ran). */
  readonly last: Readonly<Record<string, number>> | undefined;
}

/** The cosine schedule of pre-training, probes and fine-tuning: decay from `baseLr` to 0 over `epochs`, per step. */
export function cosineSchedule(baseLr: number, epochs: number): FitPlan['lr'] {
  return (epoch, step, steps) => cosineLr({ baseLr, totalEpochs: epochs }, epoch + step / steps);
}

/**
 * The one training loop (pre-training, both linear probes, fine-tuning, the
 * toy arms): epochs from `startEpoch`, the plan's steps, each fed its
 * learning rate; 'loss' and 'gradNorm' (when the program has it) are fetched
 * every step and a non-finite one stops the run there with a
 * TrainingDivergedError naming the step and the last finite loss, so NaN is
 * never carried on or scored. Callers differ in the program and the feeds;
 * what they do between steps and epochs (progress, kNN, checkpoints, weights)
 * goes through callbacks.
 */
export async function fit(plan: FitPlan): Promise<FitResult> {
  const outputs = new Set(plan.executable.program.outputs.map((o) => o.name));
  const checked = ['loss', ...(outputs.has('gradNorm') ? ['gradNorm'] : [])];
  const fetch = [...checked, ...(plan.monitors ?? [])];
  for (const name of fetch) if (!outputs.has(name)) throw new Error(`${plan.name}: the step program '${plan.executable.program.name}' has no output '${name}' to fetch`);
  const callbacks = plan.callbacks ?? [];
  let last: Record<string, number> | undefined;
  let lastFinite: number | undefined;
  const first = plan.startEpoch ?? 0;
  for (let epoch = first; epoch < plan.epochs; epoch++) {
    for (const c of callbacks) await c.onEpochStart?.(epoch);
    const { steps, feeds } = plan.epoch(epoch);
    const resumed = epoch === first && plan.startStep !== undefined && plan.startStep > 0;
    // A resumed epoch continues its sums, so its means are those of an uninterrupted run.
    const sums: Record<string, number> = Object.fromEntries(fetch.map((n) => [n, resumed ? (plan.startSums?.[n] ?? 0) : 0]));
    for (let step = resumed ? plan.startStep! : 0; step < steps; step++) {
      if (plan.signal?.aborted) {
        for (const c of callbacks) await c.onStop?.({ epoch, step, sums: { ...sums } });
        throw new StopRequestedError(plan.name, epoch, step, plan.signal.reason);
      }
      const lr = plan.lr(epoch, step, steps);
      const out = await plan.executable.run({ ...feeds(step), lr: hostTensor('float32', [], [lr]) }, fetch);
      const values: Record<string, number> = Object.fromEntries(fetch.map((n) => [n, out[n]!.data[0]!]));
      if (checked.some((n) => !Number.isFinite(values[n]))) throw new TrainingDivergedError(plan.name, epoch, step, Object.fromEntries(checked.map((n) => [n, values[n]!])), lastFinite);
      lastFinite = values['loss'];
      last = values;
      for (const n of fetch) sums[n]! += values[n]!;
      for (const c of callbacks) await c.onStep?.({ epoch, step, steps, lr, values });
    }
    const means = Object.fromEntries(fetch.map((n) => [n, sums[n]! / steps]));
    for (const c of callbacks) await c.onEpochEnd?.(epoch, means);
  }
  return { last };
}
