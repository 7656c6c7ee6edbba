import { hostTensor, type Executable } from '@ltssl/core';
import { evalAugmentation } from '../data/augment/presets.js';
import { Augmenter } from '../data/augment/pipeline.js';
import type { ImageSet } from '../data/image-set.js';
import type { Normalization } from '../data/normalization.js';
import { predictBatches } from './predict-batches.js';
import type { PhaseProgress } from '../train/phase-progress.js';

/** Features of a set of images, row i for image indices[i]. */
export interface FeatureMatrix {
  /** [count, dim] row-major. */
  readonly values: Float32Array;
  readonly count: number;
  readonly dim: number;
  /** The images' labels, row-aligned. */
  readonly labels: Int32Array;
}

/**
 * Runs a feature program (buildFeatureProgram) over the images at `indices`
 * (all images when omitted): no augmentation, the dataset's normalisation,
 * batches padded to the program's static batch size, padded rows dropped.
 * `progress` is told of each batch done (phase 'features').
 */
export async function extractFeatures(executable: Executable, set: ImageSet, normalization: Normalization, indices?: ArrayLike<number>, progress?: PhaseProgress): Promise<FeatureMatrix> {
  const input = executable.program.inputs.find((i) => i.name === 'x');
  const output = executable.program.outputs.find((o) => o.name === 'features');
  if (!input || !output) throw new Error(`program '${executable.program.name}' is not a feature program: it needs input 'x' and output 'features'`);
  const [batch, channels, height, width] = input.shape as [number, number, number, number];
  const dim = executable.program.graph.node(output.node).shape[1]!;
  if (channels !== set.channels) throw new Error(`the encoder takes ${channels}-channel images; '${set.name}' has ${set.channels} channels`);
  const items = indices ?? Int32Array.from({ length: set.count }, (_, i) => i);
  const augmenter = new Augmenter(set, evalAugmentation(normalization, { size: [height, width] }));
  const features = await predictBatches(executable, items, batch, (b) => ({ x: hostTensor('float32', [batch, channels, height, width], augmenter.augment(b.indices, { seed: 0, epoch: 0 })[0]!) }), 'features', (done, total) =>
    progress?.onPhaseStep?.('features', done, total),
  );
  const values = features.data as Float32Array;
  const labels = Int32Array.from(items, (i) => set.labels[i]!);
  return { values, count: items.length, dim, labels };
}
