import { ERROR_CODES, hostTensor, LtsslError, multiStepLr, type Driver, type Executable } from '@ltssl/core';
import { probeAugmentation } from '../data/augment/presets.js';
import { Augmenter } from '../data/augment/pipeline.js';
import { trainBatches } from '../data/batches.js';
import type { ImageSet } from '../data/image-set.js';
import type { Normalization } from '../data/normalization.js';
import { ENCODER_PREFIX, type EncoderSpec } from '../models/encoder.js';
import { accuracyOf, type Accuracy } from './accuracy.js';
import { extractFeatures } from './extract-features.js';
import { buildFrozenEncoderHeadStep, buildHeadPredict } from './probe-programs.js';
import { stateChecksum } from './state-checksum.js';

export interface AugmentedProbeOptions {
  readonly encoder: EncoderSpec;
  /** Train images (balanced) and the test images. */
  readonly train: { readonly set: ImageSet; readonly indices: ArrayLike<number> };
  readonly test: ImageSet;
  readonly normalization: Normalization;
  /** Images are resized to the encoder's training size. */
  readonly height: number;
  readonly width: number;
  /** Official: 100 epochs, batch 256, SGD lr 30 (momentum 0.9, no weight decay), x0.1 at 60 and 80. */
  readonly epochs?: number;
  readonly batch?: number;
  readonly lr?: number;
  readonly milestones?: readonly number[];
  readonly seed: number;
}

/**
 * The paper's official linear-evaluation protocol: a linear head on the frozen
 * encoder (eval mode), trained on augmented images (RandomResizedCrop 0.8-1 +
 * flip). `features` is a feature-program executable holding the encoder; the
 * head's programs share its state. The encoder's checksum must be the same
 * after training the head as before, or the probe throws.
 */
export async function linearProbeAugmented(driver: Driver, features: Executable, o: AugmentedProbeOptions): Promise<Accuracy> {
  const epochs = o.epochs ?? 100;
  const batch = o.batch ?? 256;
  const classes = o.train.set.classes;
  const before = await stateChecksum(features, ENCODER_PREFIX);
  const stepper = await driver.compile(buildFrozenEncoderHeadStep(o.encoder, classes, batch, o.height, o.width, { momentum: 0.9, weightDecay: 0 }, o.seed), { shareState: features });
  const predictor = await driver.compile(buildHeadPredict(features.program.graph.node(features.program.outputs[0]!.node).shape[1]!, classes, 256), { shareState: stepper });
  try {
    const augmenter = new Augmenter(o.train.set, probeAugmentation(o.normalization, { size: [o.height, o.width] }));
    const shape = [batch, o.train.set.channels, o.height, o.width];
    for (let epoch = 0; epoch < epochs; epoch++) {
      const lr = multiStepLr({ baseLr: o.lr ?? 30, milestones: o.milestones ?? [60, 80] }, epoch);
      for (const b of trainBatches(o.train.indices, batch, { seed: o.seed, epoch })) {
        const [x] = augmenter.augment(b.indices, { seed: o.seed, epoch });
        const labels = hostTensor('int32', [batch], Array.from(b.indices, (i) => o.train.set.labels[i]!));
        await stepper.run({ x: hostTensor('float32', shape, x!), labels, lr: hostTensor('float32', [], [lr]) }, []);
      }
    }
    const after = await stateChecksum(features, ENCODER_PREFIX);
    if (after !== before) throw new LtsslError(ERROR_CODES.executableMisuse, `the encoder changed while its linear probe trained (state checksum ${before.slice(0, 12)} -> ${after.slice(0, 12)}): the probe must leave it frozen`);
    const test = await extractFeatures(features, o.test, o.normalization);
    const predictions = new Int32Array(test.count);
    const rows = new Float32Array(256 * test.dim);
    for (let start = 0; start < test.count; start += 256) {
      const real = Math.min(256, test.count - start);
      rows.fill(0);
      rows.set(test.values.subarray(start * test.dim, (start + real) * test.dim));
      const { predictions: p } = await predictor.run({ features: hostTensor('float32', [256, test.dim], rows) }, ['predictions']);
      predictions.set(p!.data.subarray(0, real), start);
    }
    return accuracyOf(predictions, test.labels, classes);
  } finally {
    predictor.dispose();
    stepper.dispose();
  }
}
