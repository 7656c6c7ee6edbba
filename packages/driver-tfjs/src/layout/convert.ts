import { reshape, transpose, type Tensor } from '@tensorflow/tfjs-core';
import type { Conversion } from './perm.js';

/** Applies a conversion the layout pass planned. */
export function convert(x: Tensor, c: Conversion): Tensor {
  if (c.kind === 'reshape') return reshape(x, c.shape);
  return transpose(reshape(x, c.padShape), c.perm);
}
