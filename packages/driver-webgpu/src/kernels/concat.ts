import type { Kernel } from './kernel.js';
import { scatterDispatch } from './gather.js';
import { rowMajorStrides } from './strides.js';

/** One scatter per input into its box of the output; the boxes tile the output exactly. */
export const concatKernel: Kernel<'concat'> = ({ node, inputs, output }) => {
  const axis = node.attrs.axis < 0 ? node.attrs.axis + output.shape.length : node.attrs.axis;
  const strides = rowMajorStrides(output.shape);
  let offset = 0;
  const dispatches = inputs.map((input, index) => {
    const d = scatterDispatch('concat', output.dtype, index, input.shape, strides, offset * strides[axis]!);
    offset += input.shape[axis]!;
    return d;
  });
  return { kind: 'dispatch', dispatches };
};
