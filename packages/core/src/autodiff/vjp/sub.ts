import { sumTo } from '../sum-to.js';
import type { VjpRule } from './vjp-rule.js';

export const subVjp: VjpRule<'sub'> = ({ g, inputs: [a, b] }) => [sumTo(g, a!.shape), sumTo(g.neg(), b!.shape)];
