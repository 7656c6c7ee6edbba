import type { VjpRule } from './vjp-rule.js';

// The derivative at 0 is taken as 0, as PyTorch does.
export const reluVjp: VjpRule<'relu'> = ({ g, inputs: [x] }) => [g.mul(x!.greater(0))];
