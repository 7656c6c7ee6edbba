import { max } from '@tensorflow/tfjs-core';
import type { TfjsKernel } from './kernel.js';
import { noDemand } from './layout-rules.js';
import { reduceLayout } from './reduce.js';

export const reduceMaxKernel: TfjsKernel<'reduceMax'> = {
  layout: ({ node, inputs: [x] }) => {
    const { axes, output } = reduceLayout(x!.perm, node.attrs.axes, node.attrs.keepDims);
    return { inputs: [x!.perm], output, attrs: { axes, keepDims: node.attrs.keepDims } };
  },
  demand: noDemand(),
  run: ([x], { axes, keepDims }) => max(x!, [...axes], keepDims),
};
