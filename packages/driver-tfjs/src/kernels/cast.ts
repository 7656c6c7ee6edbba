import { cast } from '@tensorflow/tfjs-core';
import type { TfjsKernel } from './kernel.js';
import { elementwiseLayout, passDemand } from './layout-rules.js';

/**
 * tfjs's Cast truncates float -> int32 toward zero and rounds to float32, as
 * the IR says. float64 never reaches here: the driver refuses it at compile time.
 */
export const castKernel: TfjsKernel<'cast'> = {
  layout: elementwiseLayout,
  demand: passDemand(),
  run: ([x], { to }) => (x!.dtype === to ? x! : cast(x!, to === 'int32' ? 'int32' : 'float32')),
};
