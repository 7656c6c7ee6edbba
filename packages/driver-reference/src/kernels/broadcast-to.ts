import { alloc } from '../ref-tensor.js';
import { broadcastStrides, forEachIndex } from './indexing.js';
import type { Kernel } from './kernel.js';

export const broadcastToKernel: Kernel<'broadcastTo'> = ([x], _attrs, out) => {
  const y = alloc(out);
  const xs = x!.data;
  forEachIndex(out.shape, [broadcastStrides(x!.shape, out.shape.length)], (i, [src]) => {
    y.data[i] = xs[src!]!;
  });
  return y;
};
