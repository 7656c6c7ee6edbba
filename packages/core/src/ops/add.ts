import { defineBinary } from './elementwise.js';

/** y = a + b, broadcasting */
export const add = defineBinary('add', 'numeric', {
  summary: 'Sum, y = a + b (int32 wraps around).',
  vjp: 'ga = sumTo(g, shape(a)), gb = sumTo(g, shape(b)); sumTo is reduceSum over the broadcast axes, then reshape',
});
