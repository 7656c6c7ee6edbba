import { defineBinary } from './elementwise.js';

/** y = a * b, broadcasting */
export const mul = defineBinary('mul', 'numeric', {
  summary: 'Product, y = a * b (int32 wraps around).',
  vjp: 'ga = sumTo(mul(g, b), shape(a)), gb = sumTo(mul(g, a), shape(b))',
});
