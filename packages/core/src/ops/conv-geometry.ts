import type { Fail } from '../ir/op-def.js';
import type { TensorType } from '../ir/tensor-type.js';
import { formatShape, type Shape } from '../ir/shape.js';
import { requireFloat, requireIntArray, requireRank, requireSameDType } from './checks.js';

/** Geometry shared by conv2d and its two gradient ops. Layout NCHW, filters OIHW. */
export type ConvGeometry = {
  /** [strideH, strideW], >= 1. */
  readonly strides: readonly number[];
  /** [top, left, bottom, right] zeros, >= 0 (ONNX's order). */
  readonly pads: readonly number[];
};

export const CONV_ATTR_DOCS = {
  strides: '[strideH, strideW], integers >= 1',
  pads: '[top, left, bottom, right] implicit zero padding, integers >= 0 (ONNX order; PyTorch padding=p is [p, p, p, p])',
};

export function checkGeometry(attrs: ConvGeometry, fail: Fail): ConvGeometry {
  return {
    strides: requireIntArray(attrs.strides, 'strides', fail, 2, 1),
    pads: requireIntArray(attrs.pads, 'pads', fail, 4, 0),
  };
}

/**
 * The NCHW output shape of convolving x [N,C,H,W] with w [O,C,KH,KW]:
 * H' = floor((H + top + bottom - KH) / strideH) + 1, as PyTorch and ONNX.
 */
export function conv2dOutputShape(x: Shape, w: Shape, g: ConvGeometry, fail: Fail): number[] {
  const [n, c, h, wd] = x as [number, number, number, number];
  const [o, ci, kh, kw] = w as [number, number, number, number];
  if (c !== ci) fail(`channels differ: x ${formatShape(x)} has ${c} channels, filter ${formatShape(w)} expects ${ci}`);
  const [sh, sw] = g.strides as [number, number];
  const [pt, pl, pb, pr] = g.pads as [number, number, number, number];
  const hp = h + pt + pb;
  const wp = wd + pl + pr;
  if (kh > hp || kw > wp) {
    fail(`filter ${kh}x${kw} is larger than the padded input ${hp}x${wp} (x ${formatShape(x)}, pads [${g.pads.join(',')}])`);
  }
  return [n, o, Math.floor((hp - kh) / sh) + 1, Math.floor((wp - kw) / sw) + 1];
}

/** Checks a 4-D float pair (x-like, w-like) with one dtype; returns the dtype. */
export function checkConvOperands(a: TensorType, aName: string, b: TensorType, bName: string, fail: Fail): TensorType['dtype'] {
  const dtype = requireSameDType([a, b], fail);
  requireFloat(a, aName, fail);
  requireRank(a, aName, 4, aName === 'w' ? 'OIHW' : 'NCHW', fail);
  requireRank(b, bName, 4, bName === 'w' ? 'OIHW' : 'NCHW', fail);
  return dtype;
}
