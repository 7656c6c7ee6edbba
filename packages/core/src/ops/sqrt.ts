import { defineUnary } from './elementwise.js';

/** y = sqrt(x); used by BatchNorm, L2 normalisation and SAM's gradient norm. */
export const sqrt = defineUnary('sqrt', 'float', {
  summary: 'Square root, y = sqrt(x).',
  vjp: 'gx = div(g, mul(2, y))',
});
