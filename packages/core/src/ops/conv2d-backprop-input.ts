import type { OpDef } from '../ir/op-def.js';
import { formatShape, shapesEqual, type Shape } from '../ir/shape.js';
import { requireIntArray } from './checks.js';
import { checkConvOperands, checkGeometry, conv2dOutputShape, CONV_ATTR_DOCS, type ConvGeometry } from './conv-geometry.js';

export type Conv2dBackpropInputAttrs = ConvGeometry & {
  /** [N,C,H,W] of the convolution's input; with stride > 1 several H give the same H'. */
  readonly inputShape: Shape;
};

/**
 * The gradient of conv2d with respect to its input (a transposed convolution).
 * A primitive, not a composition, so each driver maps it to its best kernel.
 */
export const conv2dBackpropInput: OpDef<Conv2dBackpropInputAttrs> = {
  name: 'conv2dBackpropInput',
  inputs: ['dy', 'w'],
  doc: {
    summary: 'The input gradient of conv2d: dx[n,c,h,v] = sum over (o,i,j,p,q) with i*sh-top+p = h, j*sw-left+q = v of dy[n,o,i,j] w[o,c,p,q].',
    attrs: { ...CONV_ATTR_DOCS, inputShape: '[N,C,H,W] of the forward input x; conv2d(x, w) must have the shape of dy' },
    shape: 'dy [N,O,H\',W\'], w [O,C,KH,KW], one float dtype; dx = inputShape',
    vjp: 'gdy = conv2d(g, w); gw = conv2dBackpropFilter(g, dy, filterShape = shape(w)); same strides and pads',
  },
  infer([dy, w], attrs, fail) {
    const dtype = checkConvOperands(dy!, 'dy', w!, 'w', fail);
    const geometry = checkGeometry(attrs, fail);
    const inputShape = requireIntArray(attrs.inputShape, 'inputShape', fail, 4, 1);
    const forward = conv2dOutputShape(inputShape, w!.shape, geometry, fail);
    if (!shapesEqual(forward, dy!.shape)) {
      fail(`conv2d of inputShape ${formatShape(inputShape)} with w ${formatShape(w!.shape)} gives ${formatShape(forward)}, but dy is ${formatShape(dy!.shape)}`);
    }
    return { type: { dtype, shape: inputShape }, attrs: { ...geometry, inputShape } };
  },
};
