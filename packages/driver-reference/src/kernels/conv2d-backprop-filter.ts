import { alloc } from '../ref-tensor.js';
import { forEachConvTerm } from './conv-loop.js';
import type { Kernel } from './kernel.js';

/** dw[w-index] += dy[y-index] * x[x-index] over the forward convolution's terms. */
export const conv2dBackpropFilterKernel: Kernel<'conv2dBackpropFilter'> = ([x, dy], attrs, out) => {
  const dw = alloc(out);
  const xs = x!.data;
  const dys = dy!.data;
  const dws = dw.data;
  forEachConvTerm(x!.shape, attrs.filterShape, dy!.shape, attrs, (xi, wi, yi) => {
    dws[wi] += dys[yi]! * xs[xi]!;
  });
  return dw;
};
