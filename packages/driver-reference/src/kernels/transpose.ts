import { stridesOf } from '@ltssl/core';
import { alloc } from '../ref-tensor.js';
import { forEachIndex } from './indexing.js';
import type { Kernel } from './kernel.js';

/** Output axis k walks input axis perm[k]. */
export const transposeKernel: Kernel<'transpose'> = ([x], { perm }, out) => {
  const y = alloc(out);
  const inStrides = stridesOf(x!.shape);
  const xs = x!.data;
  forEachIndex(out.shape, [perm.map((p) => inStrides[p]!)], (i, [src]) => {
    y.data[i] = xs[src!]!;
  });
  return y;
};
