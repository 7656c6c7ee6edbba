import type { VjpRule } from './vjp-rule.js';

/** dx = convT(dy, w) is linear in dy and in w: its VJPs are the forward conv and the filter gradient. */
export const conv2dBackpropInputVjp: VjpRule<'conv2dBackpropInput'> = ({ g, inputs: [dy, w], attrs: { strides, pads } }) => [
  g.conv2d(w!, { strides, pads }),
  g.tracer.op('conv2dBackpropFilter', [g, dy!], { strides, pads, filterShape: w!.shape }),
];
