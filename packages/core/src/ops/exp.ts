import { defineUnary } from './elementwise.js';

/** y = e^x */
export const exp = defineUnary('exp', 'float', {
  summary: 'Natural exponential, y = e^x.',
  vjp: 'gx = mul(g, y)',
});
