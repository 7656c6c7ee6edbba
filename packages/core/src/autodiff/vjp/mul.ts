import { sumTo } from '../sum-to.js';
import type { VjpRule } from './vjp-rule.js';

export const mulVjp: VjpRule<'mul'> = ({ g, inputs: [a, b] }) => [sumTo(g.mul(b!), a!.shape), sumTo(g.mul(a!), b!.shape)];
