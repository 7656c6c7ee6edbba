import type { VjpRule } from './vjp-rule.js';

// d sqrt(x) = dx / (2 sqrt(x)): reuse the forward output.
export const sqrtVjp: VjpRule<'sqrt'> = ({ g, y }) => [g.div(y.mul(2))];
