import { defineBinary } from './elementwise.js';

/**
 * y = (a > b) as 1 or 0 in the inputs' dtype. A mask in the compute dtype
 * multiplies directly (ReLU's VJP), with no boolean dtype to lower.
 */
export const greater = defineBinary('greater', 'numeric', {
  summary: 'Comparison, y = 1 where a > b, else 0, in the dtype of the inputs (NaN compares false).',
  vjp: 'not differentiable: piecewise constant (the gradient is zero almost everywhere)',
});
