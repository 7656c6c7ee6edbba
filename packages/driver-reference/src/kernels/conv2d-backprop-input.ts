import { alloc } from '../ref-tensor.js';
import { forEachConvTerm } from './conv-loop.js';
import type { Kernel } from './kernel.js';

/** dx[x-index] += dy[y-index] * w[w-index] over the forward convolution's terms. */
export const conv2dBackpropInputKernel: Kernel<'conv2dBackpropInput'> = ([dy, w], attrs, out) => {
  const dx = alloc(out);
  const dys = dy!.data;
  const ws = w!.data;
  const dxs = dx.data;
  forEachConvTerm(attrs.inputShape, w!.shape, dy!.shape, attrs, (xi, wi, yi) => {
    dxs[xi] += dys[yi]! * ws[wi]!;
  });
  return dx;
};
