import type { Lowering } from '../lowering.js';

/**
 * dw from image patches: one Conv with a one-hot filter per tap gathers every
 * image's patches, [N*C, KH*KW, H', W'] (im2col, threaded by ORT's Conv), and
 * one batched MatMul contracts them with dy over the positions of each image,
 * [N, C*KH*KW, O], summed over the batch. The GEMMs are K = H'*W' deep,
 * where the tap form's are N*H'*W' deep with only C columns.
 */
export const conv2dBackpropFilterPatchesLowering: Lowering<'conv2dBackpropFilter'> = (graph, node, [x, dy], [xType, dyType]) => {
  const { strides, pads, filterShape } = node.attrs;
  const [n, c, h, w] = xType!.shape as [number, number, number, number];
  const [, o, oh, ow] = dyType!.shape as [number, number, number, number];
  const [kh, kw] = filterShape.slice(2) as [number, number];
  const taps = kh * kw;
  const oneHot = graph.constant('float32', [taps, 1, kh, kw], Array.from({ length: taps * taps }, (_, i) => (Math.floor(i / taps) === i % taps ? 1 : 0)));
  const images = graph.op('Reshape', [x!, graph.int64s([n * c, 1, h, w])]); // [N*C, 1, H, W]
  const cols = graph.op('Conv', [images, oneHot], { strides: { ints: strides }, pads: { ints: pads }, kernel_shape: { ints: [kh, kw] } }); // [N*C, KH*KW, H', W']
  const patches = graph.op('Reshape', [cols, graph.int64s([n, c * taps, oh * ow])]); // [N, C*KH*KW, H'*W']
  const dyt = graph.op('Transpose', [graph.op('Reshape', [dy!, graph.int64s([n, o, oh * ow])])], { perm: { ints: [0, 2, 1] } }); // [N, H'*W', O]
  const perImage = graph.op('MatMul', [patches, dyt]); // [N, C*KH*KW, O]
  const dwt = graph.op('ReduceSum', [perImage, graph.int64s([0])], { keepdims: { int: 0 } }); // [C*KH*KW, O]
  return graph.op('Reshape', [graph.op('Transpose', [dwt], { perm: { ints: [1, 0] } }), graph.int64s(filterShape)]); // [O, C, KH, KW]
};
