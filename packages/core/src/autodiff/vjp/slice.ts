import type { VjpRule } from './vjp-rule.js';

/** The cotangent lands in the sliced box; zeros elsewhere. */
export const sliceVjp: VjpRule<'slice'> = ({ g, inputs: [x], attrs }) => [
  g.pad(attrs.begin.map((b, i) => [b, x!.shape[i]! - b - attrs.size[i]!])),
];
