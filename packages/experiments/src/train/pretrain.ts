import { cosineLr, hostTensor, type Driver, type Executable, type StateDict } from '@ltssl/core';
import { Augmenter, type AugmentationConfig } from '../data/augment/pipeline.js';
import { trainBatches } from '../data/batches.js';
import type { ImageSet } from '../data/image-set.js';
import type { Normalization } from '../data/normalization.js';
import { buildFeatureProgram } from '../eval/feature-program.js';
import { extractFeatures } from '../eval/extract-features.js';
import { knnAccuracy } from '../eval/knn.js';
import type { EncoderSpec } from '../models/encoder.js';
import type { Method } from '../methods/method.js';
import { buildTrainStep } from '../methods/train-step.js';
import { TrainingDivergedError } from './training-diverged.js';
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
    const augmenter = new Augmenter(set, c.augmentation);
    const monitorNames = executable.program.outputs.map((o) => o.name).filter((n) => n !== 'loss' && n !== 'gradNorm');
    const inputShape = [c.batch, shape.channels, shape.height, shape.width];
    const history: EpochMetrics[] = [];
    let lastFinite: number | undefined;
    for (let epoch = start; epoch < c.epochs; epoch++) {
      const started = Date.now();
      // Weights are a function of the encoder at the refresh epoch, so a resumed run recomputes the same ones.
      if (c.weighting && (epoch === start || (c.weighting.kind === 'kde' && epoch % c.weighting.refreshEvery === 0))) {
        if (c.weighting.kind === 'kde' && epoch === start && epoch % c.weighting.refreshEvery !== 0) {
          throw new Error(`rwSAM: resuming at epoch ${epoch} needs the weights of epoch ${epoch - (epoch % c.weighting.refreshEvery)}; checkpoint at multiples of refreshEvery (${c.weighting.refreshEvery})`);
        }
        await refreshWeights();
      }
      const batches = trainBatches(c.indices, c.batch, { seed: c.seed, epoch });
      let lossSum = 0;
      const monitorSums: Record<string, number> = Object.fromEntries(monitorNames.map((n) => [n, 0]));
      for (const [step, b] of batches.entries()) {
        const views = augmenter.augment(b.indices, { seed: c.seed, epoch }, method.views);
        const feeds: Record<string, ReturnType<typeof hostTensor>> = {};
        views.forEach((v, i) => (feeds[method.views === 1 ? 'x' : `x${i + 1}`] = hostTensor('float32', inputShape, v)));
        if (method.usesLabels) feeds['labels'] = hostTensor('int32', [c.batch], Array.from(b.indices, (i) => set.labels[i]!));
        if (c.sam?.reweighted) feeds['weights'] = hostTensor('float32', [c.batch], Array.from(b.indices, (i) => weightOf[i]!));
        feeds['lr'] = hostTensor('float32', [], [cosineLr({ baseLr: c.lr, totalEpochs: c.epochs }, epoch + step / batches.length)]);
        const out = await executable.run(feeds);
        const loss = out['loss']!.data[0]!;
        const gradNorm = out['gradNorm']!.data[0]!;
        if (!Number.isFinite(loss) || !Number.isFinite(gradNorm)) throw new TrainingDivergedError(method.name, epoch, step, loss, gradNorm, lastFinite);
        lastFinite = loss;
        lossSum += loss;
        for (const n of monitorNames) monitorSums[n]! += out[n]!.data[0]!;
        progress.onStep?.(epoch, step, batches.length, loss);
      }
      let knn: number | undefined;
      if (c.knn && ((epoch + 1) % c.knn.every === 0 || epoch + 1 === c.epochs)) {
        const bank = await extractFeatures(await featureProgram(), c.knn.bank.set, c.normalization, c.knn.bank.indices);
        const queries = await extractFeatures(await featureProgram(), c.knn.queries.set, c.normalization, c.knn.queries.indices);
        knn = await knnAccuracy(driver, bank, queries, { k: c.knn.k, temperature: c.knn.temperature, classes: set.classes });
      }
      const metrics: EpochMetrics = {
        epoch,
        loss: lossSum / batches.length,
        monitors: Object.fromEntries(monitorNames.map((n) => [n, monitorSums[n]! / batches.length])),
        ...(knn === undefined ? {} : { knnAccuracy: knn }),
        seconds: (Date.now() - started) / 1000,
      };
      history.push(metrics);
      progress.onEpoch?.(metrics, c.epochs);
      if (c.checkpoints && ((epoch + 1) % c.checkpoints.every === 0 || epoch + 1 === c.epochs)) {
        await c.checkpoints.store.save(epoch + 1, await executable.readState());
      }
    }
    return { executable, history, resumedFrom: start };
  } catch (error) {
    executable.dispose();
    throw error;
  } finally {
    features?.dispose();
  }
}
