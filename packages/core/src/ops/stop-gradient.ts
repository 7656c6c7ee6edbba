import { defineUnary } from './elementwise.js';

/**
 * y = x, but autodiff treats y as a constant: SimSiam's stop-gradient branch and
 * the max subtracted inside logsumexp. Drivers run it as identity.
 */
export const stopGradient = defineUnary('stopGradient', 'numeric', {
  summary: 'Identity whose gradient is zero: y = x, dy/dx treated as 0.',
  vjp: 'gx = 0 (the input receives no gradient through this op)',
});
