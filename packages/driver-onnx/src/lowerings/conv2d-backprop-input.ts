import type { Lowering } from './lowering.js';

/**
 * dx = ConvTranspose(dy, w): ONNX's transposed convolution takes the forward
 * filter [O, C, KH, KW] as it is. With stride > 1 several input sizes map to
 * one output size; output_padding (the rows the forward conv never reached,
 * always < stride) picks the IR's inputShape.
 */
export const conv2dBackpropInputLowering: Lowering<'conv2dBackpropInput'> = (graph, node, inputs, [dy, w]) => {
  const { strides, pads, inputShape } = node.attrs;
  const kernel = w!.shape.slice(2);
  const outputPadding = [0, 1].map((a) => inputShape[2 + a]! - (strides[a]! * (dy!.shape[2 + a]! - 1) + kernel[a]! - pads[a]! - pads[a + 2]!));
  return graph.op('ConvTranspose', inputs, {
    strides: { ints: strides },
    pads: { ints: pads },
    kernel_shape: { ints: kernel },
    output_padding: { ints: outputPadding },
  });
};
