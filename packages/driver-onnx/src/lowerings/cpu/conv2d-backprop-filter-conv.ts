import type { Lowering } from '../lowering.js';

/**
 * dw as one Conv: dw[o,c,p,q] = sum_{n,i,j} dy[n,o,i,j] xpad[n,c,i*sh+p,j*sw+q]
 * is a convolution of x^T [C, N, H, W] (C plays the batch, N the channels)
 * with dy^T [O, N, H', W'] as the filter, dilated by the forward stride,
 * giving [C, O, KH, KW]. Where the forward never reached the last rows
 * (H + pads - KH not a multiple of the stride), the conv would give extra
 * taps: the bottom/right pad shrinks by them, and when the pad is too small
 * the input is cropped instead.
 */
export const conv2dBackpropFilterConvLowering: Lowering<'conv2dBackpropFilter'> = (graph, node, [x, dy], [xType, dyType]) => {
  const { strides, pads, filterShape } = node.attrs;
  const [, , h, w] = xType!.shape as [number, number, number, number];
  const [, , oh, ow] = dyType!.shape as [number, number, number, number];
  const [kh, kw] = filterShape.slice(2) as [number, number];
  const [sh, sw] = strides as [number, number];
  const [top, left, bottom, right] = pads as [number, number, number, number];
  // Taps the dilated conv would produce beyond the filter: rows of the padded input past the forward's last window.
  const extraH = h + top + bottom - ((oh - 1) * sh + 1) + 1 - kh;
  const extraW = w + left + right - ((ow - 1) * sw + 1) + 1 - kw;
  const [cropH, cropW] = [Math.max(0, extraH - bottom), Math.max(0, extraW - right)];
  const swap = { perm: { ints: [1, 0, 2, 3] } };
  let xt = graph.op('Transpose', [x!], swap); // [C, N, H, W]
  if (cropH + cropW > 0) xt = graph.op('Slice', [xt, graph.int64s([0, 0]), graph.int64s([h - cropH, w - cropW]), graph.int64s([2, 3])]);
  const dyt = graph.op('Transpose', [dy!], swap); // [O, N, H', W']
  const dw = graph.op('Conv', [xt, dyt], {
    dilations: { ints: [sh, sw] },
    kernel_shape: { ints: [oh, ow] },
    pads: { ints: [top, left, bottom - extraH + cropH, right - extraW + cropW] },
  }); // [C, O, KH, KW]
  return graph.op('Transpose', [dw], swap); // [O, C, KH, KW]
};
