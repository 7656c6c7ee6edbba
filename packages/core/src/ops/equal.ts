import { defineBinary } from './elementwise.js';

/**
 * y = (a == b) as 1 or 0 in the inputs' dtype: one-hot labels (labels == iota),
 * SupCon's positive mask and top-1 accuracy.
 */
export const equal = defineBinary('equal', 'numeric', {
  summary: 'Comparison, y = 1 where a == b, else 0, in the dtype of the inputs (NaN compares false).',
  vjp: 'not differentiable: piecewise constant',
});
