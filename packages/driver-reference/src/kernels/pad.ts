import { stridesOf } from '@ltssl/core';
import { alloc } from '../ref-tensor.js';
import { forEachIndex } from './indexing.js';
import type { Kernel } from './kernel.js';

/** Writes x into the zero output at offset `before` on every axis. */
export const padKernel: Kernel<'pad'> = ([x], { pads }, out) => {
  const y = alloc(out);
  const outStrides = stridesOf(out.shape);
  const start = pads.reduce((s, [before], i) => s + before! * outStrides[i]!, 0);
  const xs = x!.data;
  forEachIndex(x!.shape, [outStrides], (i, [dst]) => {
    y.data[start + dst!] = xs[i]!;
  });
  return y;
};
