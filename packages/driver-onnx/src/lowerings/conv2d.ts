import type { Lowering } from './lowering.js';

/** ONNX Conv is the IR's conv2d: NCHW x OIHW, pads [top, left, bottom, right]. */
export const conv2dLowering: Lowering<'conv2d'> = (graph, node, inputs, [, w]) =>
  graph.op('Conv', inputs, { strides: { ints: node.attrs.strides }, pads: { ints: node.attrs.pads }, kernel_shape: { ints: w!.shape.slice(2) } });
