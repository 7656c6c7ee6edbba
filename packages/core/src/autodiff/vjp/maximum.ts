import { sumTo } from '../sum-to.js';
import type { VjpRule } from './vjp-rule.js';

/** Where b > a the gradient goes to b, elsewhere (ties included) to a. */
export const maximumVjp: VjpRule<'maximum'> = ({ g, inputs: [a, b] }) => {
  const toB = b!.greater(a!); // shaped like g: greater broadcasts as maximum does
  return [sumTo(g.mul(toB.neg().add(1)), a!.shape), sumTo(g.mul(toB), b!.shape)];
};
