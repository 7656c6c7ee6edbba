import type { Driver, Executable } from '@ltssl/core';
import { probeAugmentation } from '../data/augment/presets.js';
import { Augmenter } from '../data/augment/pipeline.js';
import { ENCODER_PREFIX } from '../models/encoder.js';
import { cosineSchedule, fit } from '../train/fit.js';
import { phaseCallbacks, type PhaseProgress } from '../train/phase-progress.js';
import { imageEpochs } from '../train/image-epochs.js';
import { accuracyOf, type Accuracy } from './accuracy.js';
import { extractFeatures } from './extract-features.js';
import { buildFeatureProgram } from './feature-program.js';
import { buildFineTuneStep } from './fine-tune-programs.js';
import type { ImageHeadData } from './linear-probe-augmented.js';
import { predictClasses } from './predict-batches.js';
import { buildHeadPredict } from './probe-programs.js';

export interface FineTuneOptions extends ImageHeadData {
  readonly epochs: number;
  /** Default 128. */
  readonly batch?: number;
  /** The head's peak learning rate (cosine); the backbone's is 0.1x. Default 0.1. */
  readonly lr?: number;
  readonly backboneLrScale?: number;
  readonly weightDecay?: number;
  /** Reports the phase's steps (a cell's progress bar); the work is the same without it. */
  readonly progress?: PhaseProgress;
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
    const epoch = imageEpochs({ ...o.train, batch, augmenter, height: o.height, width: o.width, seed: o.seed, views: 1, labels: true });
    await fit({ name: 'fine-tune', executable: stepper, epochs: o.epochs, epoch, lr: cosineSchedule(o.lr ?? 0.1, o.epochs), callbacks: phaseCallbacks(o.progress, 'fine-tuning', o.epochs) });
    const test = await extractFeatures(featurizer, o.test, o.normalization);
    const predictions = await predictClasses(predictor, test.values, dim);
    return accuracyOf(predictions, test.labels, classes);
  } finally {
    predictor.dispose();
    featurizer.dispose();
    stepper.dispose();
  }
}
