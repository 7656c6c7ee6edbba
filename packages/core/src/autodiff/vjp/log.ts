import type { VjpRule } from './vjp-rule.js';

export const logVjp: VjpRule<'log'> = ({ g, inputs: [x] }) => [g.div(x!)];
