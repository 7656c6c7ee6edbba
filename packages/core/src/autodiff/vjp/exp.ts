import type { VjpRule } from './vjp-rule.js';

// d e^x = e^x dx: reuse the forward output.
export const expVjp: VjpRule<'exp'> = ({ g, y }) => [g.mul(y)];
