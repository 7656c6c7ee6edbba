import type { OpDef } from '../ir/op-def.js';
import { formatShape, shapesEqual, type Shape } from '../ir/shape.js';
import { requireIntArray } from './checks.js';
import { checkConvOperands, checkGeometry, conv2dOutputShape, CONV_ATTR_DOCS, type ConvGeometry } from './conv-geometry.js';

export type Conv2dBackpropFilterAttrs = ConvGeometry & {
  /** [O,C,KH,KW] of the convolution's filter. */
  readonly filterShape: Shape;
};

/** The gradient of conv2d with respect to its filter; a primitive for the same reason as conv2dBackpropInput. */
export const conv2dBackpropFilter: OpDef<Conv2dBackpropFilterAttrs> = {
  name: 'conv2dBackpropFilter',
  inputs: ['x', 'dy'],
  doc: {
    summary: 'The filter gradient of conv2d: dw[o,c,p,q] = sum_{n,i,j} dy[n,o,i,j] x[n,c,i*sh-top+p, j*sw-left+q], zeros outside x.',
    attrs: { ...CONV_ATTR_DOCS, filterShape: '[O,C,KH,KW] of the forward filter; conv2d(x, w) must have the shape of dy' },
    shape: 'x [N,C,H,W], dy [N,O,H\',W\'], one float dtype; dw = filterShape',
    vjp: 'gx = conv2dBackpropInput(dy, g, inputShape = shape(x)); gdy = conv2d(x, g); same strides and pads',
  },
  infer([x, dy], attrs, fail) {
    const dtype = checkConvOperands(x!, 'x', dy!, 'dy', fail);
    const geometry = checkGeometry(attrs, fail);
    const filterShape = requireIntArray(attrs.filterShape, 'filterShape', fail, 4, 1);
    const forward = conv2dOutputShape(x!.shape, filterShape, geometry, fail);
    if (!shapesEqual(forward, dy!.shape)) {
      fail(`conv2d of x ${formatShape(x!.shape)} with filterShape ${formatShape(filterShape)} gives ${formatShape(forward)}, but dy is ${formatShape(dy!.shape)}`);
    }
    return { type: { dtype, shape: filterShape }, attrs: { ...geometry, filterShape } };
  },
};
