import { hostTensor, type Executable } from '@ltssl/core';
import { evalAugmentation } from '../data/augment/presets.js';
import { Augmenter } from '../data/augment/pipeline.js';
import { evalBatches } from '../data/batches.js';
import type { ImageSet } from '../data/image-set.js';
import type { Normalization } from '../data/normalization.js';

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
 */
export async function extractFeatures(executable: Executable, set: ImageSet, normalization: Normalization, indices?: ArrayLike<number>): Promise<FeatureMatrix> {
  const input = executable.program.inputs.find((i) => i.name === 'x');
  const output = executable.program.outputs.find((o) => o.name === 'features');
  if (!input || !output) throw new Error(`program '${executable.program.name}' is not a feature program: it needs input 'x' and output 'features'`);
  const [batch, channels, height, width] = input.shape as [number, number, number, number];
  const dim = executable.program.graph.node(output.node).shape[1]!;
  if (channels !== set.channels) throw new Error(`the encoder takes ${channels}-channel images; '${set.name}' has ${set.channels} channels`);
  const items = indices ?? Int32Array.from({ length: set.count }, (_, i) => i);
  const augmenter = new Augmenter(set, evalAugmentation(normalization, { size: [height, width] }));
  const values = new Float32Array(items.length * dim);
  const labels = new Int32Array(items.length);
  let row = 0;
  for (const b of evalBatches(items, batch)) {
    const [x] = augmenter.augment(b.indices, { seed: 0, epoch: 0 });
    const { features } = await executable.run({ x: hostTensor('float32', [batch, channels, height, width], x!) }, ['features']);
    values.set(features!.data.subarray(0, b.real * dim), row * dim);
    for (let k = 0; k < b.real; k++) labels[row + k] = set.labels[b.indices[k]!]!;
    row += b.real;
  }
  return { values, count: items.length, dim, labels };
}
