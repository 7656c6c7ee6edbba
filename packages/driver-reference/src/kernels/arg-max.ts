import { alloc } from '../ref-tensor.js';
import type { Kernel } from './kernel.js';

/** The first index of the largest value along the axis. */
export const argMaxKernel: Kernel<'argMax'> = ([x], { axis }, out) => {
  const y = alloc(out);
  const shape = x!.shape;
  const outer = shape.slice(0, axis).reduce((p, d) => p * d, 1);
  const length = shape[axis]!;
  const inner = shape.slice(axis + 1).reduce((p, d) => p * d, 1);
  const xs = x!.data;
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      let best = 0;
      let bestValue = xs[o * length * inner + i]!;
      for (let k = 1; k < length; k++) {
        const v = xs[(o * length + k) * inner + i]!;
        if (v > bestValue) {
          best = k;
          bestValue = v;
        }
      }
      y.data[o * inner + i] = best;
    }
  }
  return y;
};
