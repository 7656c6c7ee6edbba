import { alloc } from '../ref-tensor.js';
import { forEachConvTerm } from './conv-loop.js';
import type { Kernel } from './kernel.js';

export const conv2dKernel: Kernel<'conv2d'> = ([x, w], attrs, out) => {
  const y = alloc(out);
  const xs = x!.data;
  const ws = w!.data;
  const ys = y.data;
  forEachConvTerm(x!.shape, w!.shape, out.shape, attrs, (xi, wi, yi) => {
    ys[yi] += xs[xi]! * ws[wi]!;
  });
  return y;
};
