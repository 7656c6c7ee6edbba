import type { Driver, Executable, StateDict } from '@ltssl/core';
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

/** Where a run keeps its checkpoints; the CLI backs it with safetensors files. */
export interface CheckpointStore {
  /** The newest complete checkpoint: the epochs done and every state slot. */
  latest(): Promise<{ readonly epochsDone: number; readonly state: StateDict } | undefined>;
  save(epochsDone: number, state: StateDict): Promise<void>;
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
  const executable = await driver.compile(buildTrainStep(method, { encoder: c.encoder, shape, seed: c.seed, momentum: c.momentum, weightDecay: c.weightDecay, ...(c.sam ? { sam: c.sam } : {}) }));
  let features: Executable | undefined;
  const featureProgram = async (): Promise<Executable> => (features ??= await driver.compile(buildFeatureProgram(c.encoder, 256, shape.height, shape.width), { shareState: executable }));
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
  try {
    let start = 0;
    const latest = await c.checkpoints?.store.latest();
    if (latest) {
      await executable.writeState(latest.state);
      start = latest.epochsDone;
      progress.onResume?.(start);
    }
    const monitors = executable.program.outputs.map((o) => o.name).filter((n) => n !== 'loss' && n !== 'gradNorm');
    const history: EpochMetrics[] = [];
    let started = 0;
    // Weights are a function of the encoder at the refresh epoch, so a resumed run recomputes the same ones.
    const onEpochStart = async (epoch: number): Promise<void> => {
      started = Date.now();
      if (c.weighting && (epoch === start || (c.weighting.kind === 'kde' && epoch % c.weighting.refreshEvery === 0))) {
        if (c.weighting.kind === 'kde' && epoch === start && epoch % c.weighting.refreshEvery !== 0) {
          throw new Error(`rwSAM: resuming at epoch ${epoch} needs the weights of epoch ${epoch - (epoch % c.weighting.refreshEvery)}; checkpoint at multiples of refreshEvery (${c.weighting.refreshEvery})`);
        }
        await refreshWeights();
      }
    };
    const onEpochEnd = async (epoch: number, means: Readonly<Record<string, number>>): Promise<void> => {
      let knn: number | undefined;
      if (c.knn && ((epoch + 1) % c.knn.every === 0 || epoch + 1 === c.epochs)) {
        const bank = await extractFeatures(await featureProgram(), c.knn.bank.set, c.normalization, c.knn.bank.indices);
        const queries = await extractFeatures(await featureProgram(), c.knn.queries.set, c.normalization, c.knn.queries.indices);
        knn = await knnAccuracy(driver, bank, queries, { k: c.knn.k, temperature: c.knn.temperature, classes: set.classes });
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
      if (c.checkpoints && ((epoch + 1) % c.checkpoints.every === 0 || epoch + 1 === c.epochs)) {
        await c.checkpoints.store.save(epoch + 1, await executable.readState());
      }
    };
    await fit({
      name: method.name,
      executable,
      epochs: c.epochs,
      startEpoch: start,
      epoch: imageEpochs({
        set,
        indices: c.indices,
        batch: c.batch,
        augmenter: new Augmenter(set, c.augmentation),
        height: shape.height,
        width: shape.width,
        seed: c.seed,
        views: method.views,
        labels: method.usesLabels,
        ...(c.sam?.reweighted ? { weightOf: (i: number) => weightOf[i]! } : {}),
      }),
      lr: cosineSchedule(c.lr, c.epochs),
      monitors,
      callbacks: [{ onEpochStart, onStep: (s) => progress.onStep?.(s.epoch, s.step, s.steps, s.values['loss']!), onEpochEnd }],
    });
    return { executable, history, resumedFrom: start };
  } catch (error) {
    executable.dispose();
    throw error;
  } finally {
    features?.dispose();
  }
}
