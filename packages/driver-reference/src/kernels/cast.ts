import { alloc } from '../ref-tensor.js';
import type { Kernel } from './kernel.js';

/**
 * Float -> int32 truncates toward zero. A cast from float64 or int32 to float32
 * rounds to float32: that precision drop is the op's meaning. float32 -> float32
 * is the identity, so float32 values keep whatever precision this driver holds.
 */
export const castKernel: Kernel<'cast'> = ([x], { to }, out) => {
  const y = alloc(out);
  const xs = x!.data;
  const round = to === 'float32' && x!.dtype !== 'float32';
  for (let i = 0; i < xs.length; i++) {
    const v = xs[i]!;
    y.data[i] = to === 'int32' ? Math.trunc(v) : round ? Math.fround(v) : v;
  }
  return y;
};
