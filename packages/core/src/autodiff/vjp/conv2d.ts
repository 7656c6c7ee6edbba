import type { VjpRule } from './vjp-rule.js';

export const conv2dVjp: VjpRule<'conv2d'> = ({ g, inputs: [x, w], attrs: { strides, pads } }) => [
  g.tracer.op('conv2dBackpropInput', [g, w!], { strides, pads, inputShape: x!.shape }),
  g.tracer.op('conv2dBackpropFilter', [x!, g], { strides, pads, filterShape: w!.shape }),
];
