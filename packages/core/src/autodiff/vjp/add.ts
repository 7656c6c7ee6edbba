import { sumTo } from '../sum-to.js';
import type { VjpRule } from './vjp-rule.js';

export const addVjp: VjpRule<'add'> = ({ g, inputs: [a, b] }) => [sumTo(g, a!.shape), sumTo(g, b!.shape)];
