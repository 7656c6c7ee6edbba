import { conv2d } from '@tensorflow/tfjs-core';
import { HWIO, NHWC } from '../layout/perm.js';
import { explicitPadding } from './conv-padding.js';
import type { TfjsKernel } from './kernel.js';
import { fixedLayout } from './layout-rules.js';

/** x NHWC [N, H, W, C], w HWIO [KH, KW, C, O] -> y NHWC [N, H', W', O]: tfjs's (XNNPACK's on wasm) layouts. */
export const conv2dKernel: TfjsKernel<'conv2d'> = {
  layout: fixedLayout([NHWC, HWIO], NHWC),
  demand: () => [NHWC, HWIO],
  run: ([x, w], attrs) => conv2d(x as never, w as never, attrs.strides as [number, number], explicitPadding(attrs), 'NHWC'),
};
