import type { Kernel } from './kernel.js';
import { gatherDispatch } from './gather.js';
import { rowMajorStrides } from './strides.js';

/** Output axis k walks input axis perm[k]: a gather through the permuted strides. */
export const transposeKernel: Kernel<'transpose'> = ({ node, inputs, output }) => {
  const strides = rowMajorStrides(inputs[0]!.shape);
  return { kind: 'dispatch', dispatches: [gatherDispatch('transpose', output.dtype, output.shape, node.attrs.perm.map((p) => strides[p]!), 0)] };
};
