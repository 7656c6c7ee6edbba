import { argMax, reshape } from '@tensorflow/tfjs-core';
import type { TfjsKernel } from './kernel.js';
import { noDemand } from './layout-rules.js';
import { reduceLayout } from './reduce.js';

/** tfjs's ArgMax returns int32, the first maximum on ties, and has no keepDims: a reshape adds the axis back. */
export const argMaxKernel: TfjsKernel<'argMax'> = {
  layout: ({ node, inputs: [x] }) => {
    const { axes, output } = reduceLayout(x!.perm, [node.attrs.axis], node.attrs.keepDims);
    return { inputs: [x!.perm], output, attrs: { axis: axes[0]!, keepDims: node.attrs.keepDims } };
  },
  demand: noDemand(),
  run: ([x], { axis, keepDims }, out) => {
    const y = argMax(x!, axis);
    return keepDims ? reshape(y, [...out.shape]) : y;
  },
};
