import { defineBinary } from './elementwise.js';

/** y = a - b, broadcasting */
export const sub = defineBinary('sub', 'numeric', {
  summary: 'Difference, y = a - b (int32 wraps around).',
  vjp: 'ga = sumTo(g, shape(a)), gb = sumTo(neg(g), shape(b))',
});
