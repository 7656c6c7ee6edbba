import { stridesOf } from '@ltssl/core';
import { alloc } from '../ref-tensor.js';
import { forEachIndex } from './indexing.js';
import type { Kernel } from './kernel.js';

export const sliceKernel: Kernel<'slice'> = ([x], { begin }, out) => {
  const y = alloc(out);
  const inStrides = stridesOf(x!.shape);
  const start = begin.reduce((s, b, i) => s + b * inStrides[i]!, 0);
  const xs = x!.data;
  forEachIndex(out.shape, [inStrides], (i, [src]) => {
    y.data[i] = xs[start + src!]!;
  });
  return y;
};
