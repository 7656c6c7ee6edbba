import type { Lowering } from './lowering.js';

/**
 * dw[o,c,p,q] = sum_{n,i,j} dy[n,o,i,j] xpad[n,c,i*sh+p,j*sw+q] has no ONNX op,
 * but it is a convolution with the roles of batch and channels swapped:
 * Conv(x^T [C,N,H,W], dy^T [O,N,H',W'], dilations = strides, same pads) gives
 * [C, O, >=KH, >=KW]; the rows past KH come from input rows the forward conv
 * never reached, so they are sliced off, then [C,O] is transposed to [O,C].
 */
export const conv2dBackpropFilterLowering: Lowering<'conv2dBackpropFilter'> = (graph, node, [x, dy], [, dyType]) => {
  const { strides, pads, filterShape } = node.attrs;
  const swap = { perm: { ints: [1, 0, 2, 3] } };
  const xt = graph.op('Transpose', [x!], swap); // [C, N, H, W]
  const dyt = graph.op('Transpose', [dy!], swap); // [O, N, H', W']
  const full = graph.op('Conv', [xt, dyt], { dilations: { ints: strides }, strides: { ints: [1, 1] }, pads: { ints: pads }, kernel_shape: { ints: dyType!.shape.slice(2) } }); // [C, O, >=KH, >=KW]
  const kernel = graph.op('Slice', [full, graph.int64s([0, 0]), graph.int64s(filterShape.slice(2)), graph.int64s([2, 3])]); // [C, O, KH, KW]
  return graph.op('Transpose', [kernel], swap); // [O, C, KH, KW]
};
