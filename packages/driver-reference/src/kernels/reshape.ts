import { alloc } from '../ref-tensor.js';
import type { Kernel } from './kernel.js';

/** Row-major order is unchanged; only the shape is new. */
export const reshapeKernel: Kernel<'reshape'> = ([x], _attrs, out) => {
  const y = alloc(out);
  y.data.set(x!.data);
  return y;
};
