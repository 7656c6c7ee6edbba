import { bindModel, hostTensor, Linear, Tracer, type Driver, type Executable, type Program } from '@ltssl/core';
import type { ToyGaussianData } from '../../data/toy/toy-gaussians.js';
import type { FeatureMatrix } from '../../eval/extract-features.js';

/** Both arms' representation lives in slot 'encoder.weight': W [m, d]. */
export const TOY_ENCODER_PREFIX = 'encoder.';
export const TOY_WEIGHT_SLOT = `${TOY_ENCODER_PREFIX}weight`;

/** Input dimension d and representation width m. */
export interface ToyShape {
  readonly dim: number;
  readonly width: number;
}

/**
 * The representation x -> W x of the paper's theory section: linear, no bias.
 * Its initial W is PyTorch's Linear default, U(-1/sqrt(d), 1/sqrt(d)), drawn
 * from the seed and the slot name, so SL and SSL cells of one seed start from
 * the same W.
 */
export function toyEncoder(shape: ToyShape): Linear {
  return new Linear(shape.dim, shape.width, false);
}

/**
 * The representation W x of `count` inputs: input 'x' [count, d], output
 * 'features' [count, m]. Compiled with `shareState` on a trained arm, it reads
 * the trained W.
 */
export function buildToyFeatures(shape: ToyShape, count: number): Program {
  const tracer = new Tracer('toy-features');
  const x = tracer.input('x', 'float32', [count, shape.dim]);
  const encoder = toyEncoder(shape);
  const ev = bindModel(tracer, encoder, { seed: 0, prefix: TOY_ENCODER_PREFIX, trainable: false });
  tracer.output('features', encoder.apply(ev, x, { training: false, prefix: TOY_ENCODER_PREFIX })); // [count, m]
  return tracer.build();
}

/** W x of every row of `data` through a trained arm's W, as a feature matrix for the probe (one run: the toy sets are small). */
export async function toyFeatures(driver: Driver, trained: Executable, shape: ToyShape, data: ToyGaussianData): Promise<FeatureMatrix> {
  const features = await driver.compile(buildToyFeatures(shape, data.count), { shareState: trained });
  try {
    const out = await features.run({ x: hostTensor('float32', [data.count, data.dim], data.features) }, ['features']);
    return { values: out['features']!.data as Float32Array, count: data.count, dim: shape.width, labels: data.labels };
  } finally {
    features.dispose();
  }
}
