import type { OpDef } from '../ir/op-def.js';
import { checkConvOperands, checkGeometry, conv2dOutputShape, CONV_ATTR_DOCS, type ConvGeometry } from './conv-geometry.js';

export type Conv2dAttrs = ConvGeometry;

/**
 * 2-D cross-correlation (PyTorch's conv2d), NCHW x OIHW, no bias, no dilation,
 * one group: y[n,o,i,j] = sum_{c,p,q} x[n, c, i*sh - top + p, j*sw - left + q] w[o,c,p,q].
 */
export const conv2d: OpDef<Conv2dAttrs> = {
  name: 'conv2d',
  inputs: ['x', 'w'],
  doc: {
    summary: 'Cross-correlation y[n,o,i,j] = sum_{c,p,q} x[n,c,i*sh-top+p, j*sw-left+q] w[o,c,p,q], zeros outside x. No bias (add it), dilation 1, one group.',
    attrs: CONV_ATTR_DOCS,
    shape: 'x [N,C,H,W], w [O,C,KH,KW], one float dtype; y [N,O,H\',W\'], H\' = floor((H+top+bottom-KH)/sh)+1, W\' likewise',
    vjp: 'gx = conv2dBackpropInput(g, w, inputShape = shape(x)); gw = conv2dBackpropFilter(x, g, filterShape = shape(w)); same strides and pads',
  },
  infer([x, w], attrs, fail) {
    const dtype = checkConvOperands(x!, 'x', w!, 'w', fail);
    const geometry = checkGeometry(attrs, fail);
    return { type: { dtype, shape: conv2dOutputShape(x!.shape, w!.shape, geometry, fail) }, attrs: geometry };
  },
};
