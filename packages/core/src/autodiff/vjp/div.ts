import { sumTo } from '../sum-to.js';
import type { VjpRule } from './vjp-rule.js';

// d(a/b) = da/b - (a/b) db/b: reuse the forward output y = a/b.
export const divVjp: VjpRule<'div'> = ({ g, inputs: [a, b], y }) => [sumTo(g.div(b!), a!.shape), sumTo(g.mul(y).div(b!).neg(), b!.shape)];
