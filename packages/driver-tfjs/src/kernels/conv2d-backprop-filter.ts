import { conv2d, engine, pad, slice, transpose, type Tensor, type Tensor4D } from '@tensorflow/tfjs-core';
import { HWIO, NHWC } from '../layout/perm.js';
import { explicitPadding } from './conv-padding.js';
import type { TfjsKernel } from './kernel.js';
import { fixedLayout } from './layout-rules.js';

/**
 * dw HWIO [KH, KW, C, O] from x NHWC [N, H, W, C] and dy NHWC [N, H', W', O].
 *
 * Native engines run Conv2DBackpropFilter. The wasm backend has none, so dw is
 * a forward convolution with the roles moved: the padded input as a batch of C
 * images [C, Hp, Wp, N] with N channels, dy as the filter [H', W', N, O]
 * dilated by the stride: out[c, p, q, o] = sum_{i,j,n} xpad[n, p + i*sh,
 * q + j*sw, c] dy[n, i, j, o], which is dw[o, c, p, q]. The first KH x KW
 * outputs are kept (later ones are rows the forward convolution never used).
 * Per-tap matmuls (the ONNX driver's way) were 10x slower here: the wasm
 * backend's BatchMatMul is not XNNPACK's.
 */
export const conv2dBackpropFilterKernel: TfjsKernel<'conv2dBackpropFilter'> = {
  layout: fixedLayout([NHWC, NHWC], HWIO),
  demand: () => [NHWC, NHWC],
  run: ([x, dy], attrs, out, ctx) => {
    const filterShape = out.shape as [number, number, number, number];
    if (ctx.nativeKernels) {
      return engine().runKernel('Conv2DBackpropFilter', { x: x!, dy: dy! }, { strides: attrs.strides, pad: explicitPadding(attrs), dataFormat: 'NHWC', filterShape }) as Tensor;
    }
    const [kh, kw, c, o] = filterShape;
    const [sh, sw] = attrs.strides as [number, number];
    const images = transpose(pad(x!, explicitPadding(attrs)), [3, 1, 2, 0]) as Tensor4D; // [C, Hp, Wp, N]
    const filter = transpose(dy!, [1, 2, 0, 3]) as Tensor4D; // [H', W', N, O]
    const full = conv2d(images, filter, 1, 'valid', 'NHWC', [sh, sw]); // [C, >= KH, >= KW, O]
    return transpose(slice(full, [0, 0, 0, 0], [c, kh, kw, o]), [1, 2, 0, 3]);
  },
};
