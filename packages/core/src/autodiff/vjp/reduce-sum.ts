import { reducedShape } from '../../ops/reduce.js';
import type { VjpRule } from './vjp-rule.js';

/** Every summed element receives the output's cotangent. */
export const reduceSumVjp: VjpRule<'reduceSum'> = ({ g, inputs: [x], attrs }) => [g.reshape(reducedShape(x!.shape, attrs.axes, true)).broadcastTo(x!.shape)];
