import { defineUnary } from './elementwise.js';

/** y = -x */
export const neg = defineUnary('neg', 'numeric', {
  summary: 'Negation, y = -x.',
  vjp: 'gx = neg(g)',
});
