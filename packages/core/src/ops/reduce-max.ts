import { defineReduce } from './reduce.js';

/** Maximum over axes: the stable shift of logsumexp. */
export const reduceMax = defineReduce('reduceMax', {
  summary: 'Maximum over the listed axes (NaN propagates).',
  vjp: 'm = equal(x, broadcast(y)); gx = div(mul(broadcast(g), m), broadcast(reduceSum(m))): ties share the gradient equally',
});
