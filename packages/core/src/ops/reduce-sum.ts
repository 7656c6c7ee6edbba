import { defineReduce } from './reduce.js';

/** Sum over axes: means, losses, BatchNorm statistics, and every broadcast's VJP. */
export const reduceSum = defineReduce('reduceSum', {
  summary: 'Sum over the listed axes.',
  vjp: 'gx = broadcastTo(reshape(g, shape of y with keepDims), shape(x))',
});
