import { sumTo } from '../sum-to.js';
import type { VjpRule } from './vjp-rule.js';

export const broadcastToVjp: VjpRule<'broadcastTo'> = ({ g, inputs: [x] }) => [sumTo(g, x!.shape)];
