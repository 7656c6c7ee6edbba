import type { VjpRule } from './vjp-rule.js';

/** dw = corr(x, dy) is bilinear in x and dy: its VJPs are the input gradient and the forward conv. */
export const conv2dBackpropFilterVjp: VjpRule<'conv2dBackpropFilter'> = ({ g, inputs: [x, dy], attrs: { strides, pads } }) => [
  g.tracer.op('conv2dBackpropInput', [dy!, g], { strides, pads, inputShape: x!.shape }),
  x!.conv2d(g, { strides, pads }),
];
