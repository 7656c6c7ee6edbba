import { defineUnary } from './elementwise.js';

/** y = max(x, 0) */
export const relu = defineUnary('relu', 'float', {
  summary: 'Rectified linear unit, y = max(x, 0).',
  vjp: 'gx = mul(g, greater(x, 0)); the derivative at x = 0 is taken as 0, as PyTorch does',
});
