import { defineBinary } from './elementwise.js';

/** y = max(a, b) element-wise; used for ASAM's |w| = max(w, -w) and eps-clamped norms. */
export const maximum = defineBinary('maximum', 'numeric', {
  summary: 'Element-wise maximum, y = max(a, b).',
  vjp: 'm = greater(b, a); ga = sumTo(mul(g, sub(1, m)), shape(a)), gb = sumTo(mul(g, m), shape(b)); ties send the gradient to a',
});
