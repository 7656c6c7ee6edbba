import type { Driver, Executable, StateDict } from '@ltssl/core';
import { AugmentPool } from '../data/augment/augment-pool.js';
import { Augmenter, type AugmentationConfig } from '../data/augment/pipeline.js';
import type { ImageSet } from '../data/image-set.js';
import type { Normalization } from '../data/normalization.js';
import { buildFeatureProgram } from '../eval/feature-program.js';
import { extractFeatures } from '../eval/extract-features.js';
import { knnAccuracy } from '../eval/knn.js';
import type { EncoderSpec } from '../models/encoder.js';
import type { Method } from '../methods/method.js';
import { buildTrainStep } from '../methods/train-step.js';
import { cosineSchedule, fit } from './fit.js';
import { imageEpochs } from './image-epochs.js';
import { withScheduledInputs } from './scheduled-epochs.js';
import { timed, type PhaseTimer } from './phase-timer.js';
import { RunClock } from './run-clock.js';
import { isStopRequested } from './stop-requested.js';
import { kdeWeights, labelWeights, type KdeWeightOptions } from './rwsam-weights.js';
import type { SamOptions } from '../methods/sam.js';

export interface KnnMonitor {
  /** Run the monitor after every `every` epochs (and after the last). */
  readonly every: number;
  /** Bank: labelled images the test queries vote from (balanced). */
  readonly bank: { readonly set: ImageSet; readonly indices: ArrayLike<number> };
  /** Queries, scored by their labels. */
  readonly queries: { readonly set: ImageSet; readonly indices: ArrayLike<number> };
  readonly k: number;
  readonly temperature: number;
}

/**
 * What a checkpoint carries besides the state, so a resumed run keeps its
 * whole history and time: every epoch's metrics so far, the seconds of the
 * kept work and the first start; for a checkpoint taken mid-epoch (on a
 * stop), the steps of the next epoch done, their scalars' sums and seconds.
 */
export interface CheckpointProgress {
  readonly history: readonly EpochMetrics[];
  readonly seconds: number;
  readonly startedAt: string;
  readonly step?: { readonly steps: number; readonly sums: Readonly<Record<string, number>>; readonly seconds: number };
}

/** Where a run keeps its checkpoints; the CLI backs it with safetensors files. */
export interface CheckpointStore {
  /** The newest complete checkpoint: the epochs done, every state slot, and its progress (absent in older checkpoints). */
  latest(): Promise<{ readonly epochsDone: number; readonly state: StateDict; readonly progress?: CheckpointProgress } | undefined>;
  save(epochsDone: number, state: StateDict, progress: CheckpointProgress): Promise<void>;
}

export interface PretrainConfig {
  readonly method: Method;
  readonly encoder: EncoderSpec;
  /** The pre-training images: `set` restricted to `indices` (the long-tailed subset). */
  readonly set: ImageSet;
  readonly indices: ArrayLike<number>;
  readonly normalization: Normalization;
  readonly augmentation: AugmentationConfig;
  readonly epochs: number;
  readonly batch: number;
  /** Peak learning rate (already scaled to the batch); cosine decay to 0 over the epochs. */
  readonly lr: number;
  readonly momentum: number;
  readonly weightDecay: number;
  readonly seed: number;
  readonly knn?: KnnMonitor;
  readonly checkpoints?: { readonly store: CheckpointStore; readonly every: number };
  /** SAM / ASAM / rwSAM around the method's step. */
  readonly sam?: SamOptions;
  /**
   * rwSAM's weights: from a KDE of the encoder's features of the training
   * subset, recomputed every `refreshEvery` epochs, or the label oracle.
   * Required when sam.reweighted.
   */
  readonly weighting?: { readonly kind: 'kde'; readonly refreshEvery: number; readonly kde: Omit<KdeWeightOptions, 'seed'> } | { readonly kind: 'label'; readonly base: number };
  /** Stops the run at the end of a step (SIGINT, SIGTERM, a lost lease), with a checkpoint where one can resume there. */
  readonly signal?: AbortSignal;
  /** The run's time across processes (a resumed run takes its start and seconds from the checkpoint). */
  readonly clock?: RunClock;
  /** A benchmark's timer (tools/bench/cell.mjs); absent in a study run. */
  readonly timing?: PhaseTimer;
  /** Worker threads that build the next step's views while a step runs (augmentWorkerCount); 0 or absent: none. */
  readonly augmentWorkers?: number;
}

export interface EpochMetrics {
  readonly epoch: number;
  readonly loss: number;
  /** Means over the epoch's steps of the method's monitors. */
  readonly monitors: Readonly<Record<string, number>>;
  readonly knnAccuracy?: number;
  readonly seconds: number;
}

export interface PretrainProgress {
  onStep?(epoch: number, step: number, steps: number, loss: number): void;
  onEpoch?(metrics: EpochMetrics, epochs: number): void;
  onResume?(epochsDone: number): void;
}

export interface PretrainResult {
  /** The training executable: its state holds the trained encoder (slots 'encoder.*'). The caller disposes it. */
  readonly executable: Executable;
  readonly history: readonly EpochMetrics[];
  /** Epochs skipped because a checkpoint had them. */
  readonly resumedFrom: number;
}

/**
 * Pre-trains an encoder with one method: per epoch, shuffled full batches of
 * the subset (CounterRng, keyed by seed and epoch), augmented views, a cosine
 * learning rate; a non-finite loss or gradient norm stops the run at that
 * step. Resumes from the newest checkpoint; since every random draw is keyed
 * by (seed, epoch, index), a resumed run computes what an uninterrupted one
 * would have on the same driver.
 */
export async function pretrain(driver: Driver, c: PretrainConfig, progress: PretrainProgress = {}): Promise<PretrainResult> {
  const { set, method } = c;
  const shape = { batch: c.batch, channels: set.channels, height: c.augmentation.size?.[0] ?? set.height, width: c.augmentation.size?.[1] ?? set.width, classes: set.classes };
  if (c.sam?.reweighted && !c.weighting) throw new Error('rwSAM needs weights: give `weighting` (kde or label)');
  const executable = await timed(c.timing, 'compile', () => driver.compile(buildTrainStep(method, { encoder: c.encoder, shape, seed: c.seed, momentum: c.momentum, weightDecay: c.weightDecay, ...(c.sam ? { sam: c.sam } : {}) })));
  let features: Executable | undefined;
  let pool: AugmentPool | undefined;
  const featureProgram = async (): Promise<Executable> => (features ??= await timed(c.timing, 'compile', () => driver.compile(buildFeatureProgram(c.encoder, 256, shape.height, shape.width), { shareState: executable })));
  // rwSAM's weight of every image of the set (only the subset's entries are used), refreshed by the schedule.
  const weightOf = new Float32Array(set.count).fill(1);
  const refreshWeights = async (): Promise<void> => {
    if (!c.sam?.reweighted || !c.weighting) return;
    const subset = Int32Array.from(c.indices);
    const weights =
      c.weighting.kind === 'label'
        ? labelWeights(Array.from(subset, (i) => set.labels[i]!), c.weighting.base)
        : kdeWeights(await extractFeatures(await featureProgram(), set, c.normalization, subset), { ...c.weighting.kde, seed: c.seed });
    subset.forEach((image, k) => (weightOf[image] = weights[k]!));
  };
  // The newest checkpoint of this run, for what a stop says a rerun resumes from.
  let saved: { epochs: number; steps: number } | undefined;
  try {
    let start = 0;
    const clock = c.clock ?? new RunClock();
    const history: EpochMetrics[] = [];
    const latest = await c.checkpoints?.store.latest();
    if (latest) {
      await executable.writeState(latest.state);
      start = latest.epochsDone;
      // The epochs before the checkpoint stay in the history, and their time in the run's.
      if (latest.progress) {
        history.push(...latest.progress.history);
        clock.resume(latest.progress.startedAt, latest.progress.seconds);
      }
      progress.onResume?.(start);
    }
    const resumedStep = latest?.progress?.step;
    saved = latest ? { epochs: start, steps: resumedStep?.steps ?? 0 } : undefined;
    const monitors = executable.program.outputs.map((o) => o.name).filter((n) => n !== 'loss' && n !== 'gradNorm');
    let started = 0;
    const save = async (epochs: number, step?: CheckpointProgress['step']): Promise<void> => {
      const store = c.checkpoints!.store;
      await timed(c.timing, 'checkpoint', async () => store.save(epochs, await executable.readState(), { history: [...history], seconds: clock.elapsed(), startedAt: clock.startedAt, ...(step ? { step } : {}) }));
      saved = { epochs, steps: step?.steps ?? 0 };
    };
    // A mid-epoch checkpoint resumes exactly only when nothing at the epoch's start depends on the state then:
    // not with KDE weights (computed from the encoder at the epoch's start) nor a method's beforeEpoch.
    const canStopMidEpoch = c.weighting?.kind !== 'kde' && !method.beforeEpoch;
    const onStop = async (at: { epoch: number; step: number; sums: Readonly<Record<string, number>> }): Promise<void> => {
      if (!c.checkpoints || !canStopMidEpoch || (saved && saved.epochs === at.epoch && saved.steps === at.step)) return;
      await save(at.epoch, at.step === 0 ? undefined : { steps: at.step, sums: at.sums, seconds: (Date.now() - started) / 1000 });
    };
    // Weights are a function of the encoder at the refresh epoch, so a resumed run recomputes the same ones.
    const onEpochStart = async (epoch: number): Promise<void> => {
      // A run resumed mid-epoch counts the seconds its checkpoint's steps took.
      started = Date.now() - (epoch === start && resumedStep ? resumedStep.seconds * 1000 : 0);
      if (c.weighting && (epoch === start || (c.weighting.kind === 'kde' && epoch % c.weighting.refreshEvery === 0))) {
        if (c.weighting.kind === 'kde' && epoch === start && epoch % c.weighting.refreshEvery !== 0) {
          throw new Error(`rwSAM: resuming at epoch ${epoch} needs the weights of epoch ${epoch - (epoch % c.weighting.refreshEvery)}; checkpoint at multiples of refreshEvery (${c.weighting.refreshEvery})`);
        }
        await refreshWeights();
      }
      // The method's own work between epochs (SDCLR's re-pruned masks), from the state the last epoch left.
      if (method.beforeEpoch) await executable.writeState(method.beforeEpoch(await executable.readState(), epoch));
    };
    const onEpochEnd = async (epoch: number, means: Readonly<Record<string, number>>): Promise<void> => {
      let knn: number | undefined;
      const monitor = c.knn;
      if (monitor && ((epoch + 1) % monitor.every === 0 || epoch + 1 === c.epochs)) {
        const featurizer = await featureProgram();
        const bank = await timed(c.timing, 'features', () => extractFeatures(featurizer, monitor.bank.set, c.normalization, monitor.bank.indices));
        const queries = await timed(c.timing, 'features', () => extractFeatures(featurizer, monitor.queries.set, c.normalization, monitor.queries.indices));
        knn = await timed(c.timing, 'knn', () => knnAccuracy(driver, bank, queries, { k: monitor.k, temperature: monitor.temperature, classes: set.classes }));
      }
      const metrics: EpochMetrics = {
        epoch,
        loss: means['loss']!,
        monitors: Object.fromEntries(monitors.map((n) => [n, means[n]!])),
        ...(knn === undefined ? {} : { knnAccuracy: knn }),
        seconds: (Date.now() - started) / 1000,
      };
      history.push(metrics);
      progress.onEpoch?.(metrics, c.epochs);
      if (c.checkpoints && ((epoch + 1) % c.checkpoints.every === 0 || epoch + 1 === c.epochs)) await save(epoch + 1);
    };
    pool = c.augmentWorkers ? new AugmentPool(set, c.augmentation, c.augmentWorkers) : undefined;
    await timed(c.timing, 'step', () => fit({
      name: method.name,
      executable,
      epochs: c.epochs,
      startEpoch: start,
      ...(resumedStep ? { startStep: resumedStep.steps, startSums: resumedStep.sums } : {}),
      ...(c.signal ? { signal: c.signal } : {}),
      epoch: withScheduledInputs(method, c.epochs, imageEpochs({
        set,
        indices: c.indices,
        batch: c.batch,
        augmenter: pool ?? new Augmenter(set, c.augmentation),
        height: shape.height,
        width: shape.width,
        seed: c.seed,
        views: method.views,
        labels: method.usesLabels,
        ...(c.sam?.reweighted ? { weightOf: (i: number) => weightOf[i]! } : {}),
        ...(c.timing ? { timing: c.timing } : {}),
      })),
      lr: cosineSchedule(c.lr, c.epochs),
      monitors,
      callbacks: [{ onEpochStart, onStep: (s) => progress.onStep?.(s.epoch, s.step, s.steps, s.values['loss']!), onEpochEnd, onStop }],
    }));
    return { executable, history, resumedFrom: start };
  } catch (error) {
    executable.dispose();
    // Say what a rerun resumes from.
    if (isStopRequested(error)) throw error.withCheckpoint(saved?.epochs ?? 0, saved?.steps ?? 0);
    throw error;
  } finally {
    features?.dispose();
    await pool?.close();
  }
}
