import { alloc } from '../ref-tensor.js';
import type { Kernel } from './kernel.js';

/** Row-major, so each input contributes one contiguous block per outer index. */
export const concatKernel: Kernel<'concat'> = (inputs, { axis }, out) => {
  const y = alloc(out);
  const outer = out.shape.slice(0, axis).reduce((p, d) => p * d, 1);
  const inner = out.shape.slice(axis + 1).reduce((p, d) => p * d, 1);
  let dst = 0;
  for (let o = 0; o < outer; o++) {
    for (const x of inputs) {
      const block = x.shape[axis]! * inner;
      y.data.set(x.data.subarray(o * block, (o + 1) * block), dst);
      dst += block;
    }
  }
  return y;
};
