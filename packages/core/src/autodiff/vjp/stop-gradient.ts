import type { VjpRule } from './vjp-rule.js';

/** The point of the op: nothing flows back. */
export const stopGradientVjp: VjpRule<'stopGradient'> = () => [undefined];
