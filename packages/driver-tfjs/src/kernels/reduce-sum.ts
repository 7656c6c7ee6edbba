import { sum } from '@tensorflow/tfjs-core';
import type { TfjsKernel } from './kernel.js';
import { noDemand } from './layout-rules.js';
import { reduceLayout } from './reduce.js';

/**
 * Sum over the physical axes holding the reduced ones. (An average pool over
 * BatchNorm's N, H, W block was 5x faster on the wasm backend but its other
 * summation order put the ResNet-18 conformance step over tolerance, so Sum
 * it is.)
 */
export const reduceSumKernel: TfjsKernel<'reduceSum'> = {
  layout: ({ node, inputs: [x] }) => {
    const { axes, output } = reduceLayout(x!.perm, node.attrs.axes, node.attrs.keepDims);
    return { inputs: [x!.perm], output, attrs: { axes, keepDims: node.attrs.keepDims } };
  },
  demand: noDemand(),
  run: ([x], { axes, keepDims }) => sum(x!, [...axes], keepDims),
};
