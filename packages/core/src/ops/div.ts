import { defineBinary } from './elementwise.js';

/**
 * y = a / b. Float only: engines disagree on integer division's rounding, and the
 * study never divides integers.
 */
export const div = defineBinary('div', 'float', {
  summary: 'Quotient, y = a / b (IEEE 754: x/0 is +-Infinity or NaN).',
  vjp: 'ga = sumTo(div(g, b), shape(a)), gb = sumTo(neg(div(mul(g, y), b)), shape(b))',
});
