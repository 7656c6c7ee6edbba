import { defineUnary } from './elementwise.js';

/** y = ln x (NaN for x < 0, -Infinity at 0, as IEEE 754 says) */
export const log = defineUnary('log', 'float', {
  summary: 'Natural logarithm, y = ln x.',
  vjp: 'gx = div(g, x)',
});
