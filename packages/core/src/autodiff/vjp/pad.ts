import type { VjpRule } from './vjp-rule.js';

/** The padding received no input, so only the interior flows back. */
export const padVjp: VjpRule<'pad'> = ({ g, inputs: [x], attrs }) => [g.slice(attrs.pads.map((p) => p[0]!), x!.shape)];
