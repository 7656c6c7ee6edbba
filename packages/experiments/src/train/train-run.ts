import { probeAugmentation, simsiamAugmentation } from '../data/augment/presets.js';
import { classIndex } from '../data/class-index.js';
import type { LoadedDataset } from '../data/datasets.js';
import { availabilityOf } from '../data/long-tail/check-available.js';
import { classCounts } from '../data/long-tail/class-counts.js';
import { largestEqualSize } from '../data/long-tail/equal-size-counts.js';
import { sampleBalanced, sampleLongTail } from '../data/long-tail/sample-long-tail.js';
import type { Method, MethodName } from '../methods/method.js';
import { createMethod, type MethodOptions } from '../methods/registry.js';
import { createEncoder, type EncoderArch, type EncoderSpec } from '../models/encoder.js';
import { configHash } from './config-hash.js';
import type { PretrainConfig } from './pretrain.js';

/** One pre-training run as `ltssl train` takes it. */
export interface TrainRunOptions {
  readonly method: MethodName;
  readonly methodOptions: MethodOptions;
  readonly arch: EncoderArch;
  /** First-stage width; default 64 for ResNet-18, 32 for the small CNN. */
  readonly width?: number;
  readonly epochs: number;
  readonly batch: number;
  /** Base learning rate; the run uses base x batch / 256. Default: the method's. */
  readonly lr?: number;
  readonly seed: number;
  readonly profile: 'exp' | 'step';
  /** Imbalance ratio r of the pre-training subset (1: the whole train split). */
  readonly ratio: number;
  /** Subset size n; default all images at r = 1, else the largest n whose counts fit. */
  readonly total?: number;
  /** kNN monitor every this many epochs (0: never), with k neighbours. */
  readonly knnEvery: number;
  readonly knnK: number;
}

/** What a run trains on and how: everything `pretrain` needs but the driver and checkpoints. */
export interface TrainRun {
  readonly method: Method;
  readonly encoder: EncoderSpec;
  readonly featureDim: number;
  /** Per-class counts of the long-tailed subset; absent for the whole split. */
  readonly counts?: readonly number[];
  /** The peak learning rate, scaled to the batch. */
  readonly lr: number;
  readonly pretrain: Omit<PretrainConfig, 'checkpoints'>;
  /** Hash of the run's configuration, so a checkpoint of another run is never resumed. */
  readonly configHash: string;
}

/**
 * Plans one pre-training run on `data`: the subset (long-tailed at r, or the
 * whole train split), the encoder for the data's channels, the method's
 * augmentation (two views for SSL), the batch-scaled learning rate, and a kNN
 * monitor whose bank is balanced (up to 500 a class) whatever the subset's
 * imbalance. What `ltssl train` runs (tools/gpu-check.sh runs it on the GPU too).
 */
export function planTrainRun(data: LoadedDataset, o: TrainRunOptions): TrainRun {
  const method = createMethod(o.method, o.methodOptions);
  const { available } = classIndex(data.train);
  const total = o.total ?? (o.ratio === 1 ? undefined : largestEqualSize({ profile: o.profile, classes: data.train.classes, ratios: [o.ratio] }, availabilityOf(data.train, available)));
  const counts = total === undefined ? undefined : classCounts({ profile: o.profile, ratio: o.ratio, classes: data.train.classes, total });
  const indices = counts ? sampleLongTail(data.train, counts, o.seed).indices : Int32Array.from({ length: data.train.count }, (_, i) => i);
  const encoder: EncoderSpec = { arch: o.arch, width: o.width ?? (o.arch === 'resnet18' ? 64 : 32), inChannels: data.train.channels };
  const lr = (o.lr ?? method.defaults.baseLr) * (o.batch / 256);
  const queries = sampleBalanced(data.test, Math.min(100, Math.floor(data.test.count / data.test.classes)), o.seed);
  const config = { method: o.method, data: data.name, encoder, seed: o.seed, epochs: o.epochs, batch: o.batch, lr, profile: o.profile, ratio: o.ratio, counts, methodOptions: o.methodOptions };
  return {
    method,
    encoder,
    featureDim: createEncoder(encoder).featureDim,
    ...(counts ? { counts } : {}),
    lr,
    configHash: configHash(config),
    pretrain: {
      method,
      encoder,
      set: data.train,
      indices,
      normalization: data.normalization,
      augmentation: method.views === 2 ? simsiamAugmentation(data.normalization) : probeAugmentation(data.normalization),
      epochs: o.epochs,
      batch: o.batch,
      lr,
      momentum: method.defaults.momentum,
      weightDecay: method.defaults.weightDecay,
      seed: o.seed,
      ...(o.knnEvery > 0
        ? { knn: { every: o.knnEvery, bank: { set: data.train, indices: sampleBalanced(data.train, Math.min(500, ...available), o.seed, { draw: 2 }).indices }, queries: { set: data.test, indices: queries.indices }, k: o.knnK, temperature: 0.07 } }
        : {}),
    },
  };
}
