import { cosineLr, hostTensor, type Driver, type Executable } from '@ltssl/core';
import { probeAugmentation } from '../data/augment/presets.js';
import { Augmenter } from '../data/augment/pipeline.js';
import { trainBatches } from '../data/batches.js';
import type { ImageSet } from '../data/image-set.js';
import type { Normalization } from '../data/normalization.js';
import { ENCODER_PREFIX, type EncoderSpec } from '../models/encoder.js';
import { TrainingDivergedError } from '../train/training-diverged.js';
import { accuracyOf, type Accuracy } from './accuracy.js';
import { extractFeatures } from './extract-features.js';
import { buildFeatureProgram } from './feature-program.js';
import { buildFineTuneStep } from './fine-tune-programs.js';
import { buildHeadPredict } from './probe-programs.js';

export interface FineTuneOptions {
  readonly encoder: EncoderSpec;
  readonly train: { readonly set: ImageSet; readonly indices: ArrayLike<number> };
  readonly test: ImageSet;
  readonly normalization: Normalization;
  readonly height: number;
  readonly width: number;
  readonly epochs: number;
  /** Default 128. */
  readonly batch?: number;
  /** The head's peak learning rate (cosine); the backbone's is 0.1x. Default 0.1. */
  readonly lr?: number;
  readonly backboneLrScale?: number;
  readonly weightDecay?: number;
  readonly seed: number;
}

/**
 * Fine-tuning for OOD evaluation (the paper's protocol for transfer): a copy of
 * the encoder (read once from `source`, which it never writes) and a fresh head
 * trained end to end with Nesterov SGD, the backbone at 0.1x the head's rate,
 * on augmented images (crop 0.8-1, flip); top-1 on the test split in eval mode.
 */
export async function fineTune(driver: Driver, source: Executable, o: FineTuneOptions): Promise<Accuracy> {
  const batch = o.batch ?? 128;
  const classes = o.train.set.classes;
  const encoderSlots = source.program.state.map((s) => s.name).filter((n) => n.startsWith(ENCODER_PREFIX));
  const weights = await source.readState(encoderSlots);
  const stepper = await driver.compile(buildFineTuneStep(o.encoder, classes, batch, o.height, o.width, { backboneLrScale: o.backboneLrScale ?? 0.1, momentum: 0.9, weightDecay: o.weightDecay ?? 5e-4 }, o.seed));
  const featurizer = await driver.compile(buildFeatureProgram(o.encoder, 256, o.height, o.width), { shareState: stepper });
  const dim = featurizer.program.graph.node(featurizer.program.outputs[0]!.node).shape[1]!;
  const predictor = await driver.compile(buildHeadPredict(dim, classes, 256), { shareState: stepper });
  try {
    await stepper.writeState(weights);
    const augmenter = new Augmenter(o.train.set, probeAugmentation(o.normalization, { size: [o.height, o.width] }));
    const shape = [batch, o.train.set.channels, o.height, o.width];
    for (let epoch = 0; epoch < o.epochs; epoch++) {
      const batches = trainBatches(o.train.indices, batch, { seed: o.seed, epoch });
      for (const [step, b] of batches.entries()) {
        const [x] = augmenter.augment(b.indices, { seed: o.seed, epoch });
        const lr = cosineLr({ baseLr: o.lr ?? 0.1, totalEpochs: o.epochs }, epoch + step / batches.length);
        const out = await stepper.run({ x: hostTensor('float32', shape, x!), labels: hostTensor('int32', [batch], Array.from(b.indices, (i) => o.train.set.labels[i]!)), lr: hostTensor('float32', [], [lr]) }, ['loss', 'gradNorm']);
        const loss = out['loss']!.data[0]!;
        if (!Number.isFinite(loss) || !Number.isFinite(out['gradNorm']!.data[0]!)) throw new TrainingDivergedError('fine-tuning', epoch, step, loss, out['gradNorm']!.data[0]!, undefined);
      }
    }
    const test = await extractFeatures(featurizer, o.test, o.normalization);
    const predictions = new Int32Array(test.count);
    const rows = new Float32Array(256 * dim);
    for (let start = 0; start < test.count; start += 256) {
      const real = Math.min(256, test.count - start);
      rows.fill(0);
      rows.set(test.values.subarray(start * dim, (start + real) * dim));
      const { predictions: p } = await predictor.run({ features: hostTensor('float32', [256, dim], rows) }, ['predictions']);
      predictions.set(p!.data.subarray(0, real), start);
    }
    return accuracyOf(predictions, test.labels, classes);
  } finally {
    predictor.dispose();
    featurizer.dispose();
    stepper.dispose();
  }
}
