import { ERROR_CODES, LtsslError, multiStepLr, type Driver, type Executable } from '@ltssl/core';
import { probeAugmentation } from '../data/augment/presets.js';
import { Augmenter } from '../data/augment/pipeline.js';
import type { ImageSet } from '../data/image-set.js';
import type { Normalization } from '../data/normalization.js';
import { ENCODER_PREFIX, type EncoderSpec } from '../models/encoder.js';
import { fit } from '../train/fit.js';
import { phaseCallbacks, type PhaseProgress } from '../train/phase-progress.js';
import { imageEpochs } from '../train/image-epochs.js';
import { accuracyOf, type Accuracy } from './accuracy.js';
import { extractFeatures } from './extract-features.js';
import { predictClasses } from './predict-batches.js';
import { buildFrozenEncoderHeadStep, buildHeadPredict } from './probe-programs.js';
import { stateChecksum } from './state-checksum.js';

/** What a head trained on images through an encoder (the augmented probe, fine-tuning) trains and is tested on. */
export interface ImageHeadData {
  readonly encoder: EncoderSpec;
  /** Train images (balanced) and the test images. */
  readonly train: { readonly set: ImageSet; readonly indices: ArrayLike<number> };
  readonly test: ImageSet;
  readonly normalization: Normalization;
  /** Images are resized to the encoder's training size. */
  readonly height: number;
  readonly width: number;
  readonly seed: number;
}

export interface AugmentedProbeOptions extends ImageHeadData {
  /** Official: 100 epochs, batch 256, SGD lr 30 (momentum 0.9, no weight decay), x0.1 at 60 and 80. */
  readonly epochs?: number;
  readonly batch?: number;
  readonly lr?: number;
  readonly milestones?: readonly number[];
  /** Reports the phase's steps (a cell's progress bar); the work is the same without it. */
  readonly progress?: PhaseProgress;
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
    const epoch = imageEpochs({ ...o.train, batch, augmenter, height: o.height, width: o.width, seed: o.seed, views: 1, labels: true });
    const lr = (e: number): number => multiStepLr({ baseLr: o.lr ?? 30, milestones: o.milestones ?? [60, 80] }, e);
    await fit({ name: 'augmented linear probe', executable: stepper, epochs, epoch, lr, callbacks: phaseCallbacks(o.progress, 'linear probe', epochs) });
    const after = await stateChecksum(features, ENCODER_PREFIX);
    if (after !== before) throw new LtsslError(ERROR_CODES.executableMisuse, `the encoder changed while its linear probe trained (state checksum ${before.slice(0, 12)} -> ${after.slice(0, 12)}): the probe must leave it frozen`);
    const test = await extractFeatures(features, o.test, o.normalization);
    const predictions = await predictClasses(predictor, test.values, test.dim);
    return accuracyOf(predictions, test.labels, classes);
  } finally {
    predictor.dispose();
    stepper.dispose();
  }
}
