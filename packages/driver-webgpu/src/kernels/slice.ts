import type { Kernel } from './kernel.js';
import { gatherDispatch } from './gather.js';
import { rowMajorStrides } from './strides.js';

/** A gather of the box: the input's strides, starting at the box's first element. */
export const sliceKernel: Kernel<'slice'> = ({ node, inputs, output }) => {
  const strides = rowMajorStrides(inputs[0]!.shape);
  const base = node.attrs.begin.reduce((sum, b, d) => sum + b * strides[d]!, 0);
  return { kind: 'dispatch', dispatches: [gatherDispatch('slice', output.dtype, output.shape, strides, base)] };
};
