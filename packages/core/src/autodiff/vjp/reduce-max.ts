import { reducedShape } from '../../ops/reduce.js';
import type { VjpRule } from './vjp-rule.js';

/** The cotangent goes to the maximal elements, shared equally among ties. */
export const reduceMaxVjp: VjpRule<'reduceMax'> = ({ g, inputs: [x], y, attrs }) => {
  const kept = reducedShape(x!.shape, attrs.axes, true);
  const isMax = x!.equal(y.reshape(kept)); // 1 at the maxima, broadcast over the reduced axes
  const ties = isMax.sum(attrs.axes, true);
  return [g.reshape(kept).div(ties).mul(isMax)];
};
