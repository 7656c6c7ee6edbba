import type { VjpRule } from './vjp-rule.js';

export const reshapeVjp: VjpRule<'reshape'> = ({ g, inputs: [x] }) => [g.reshape(x!.shape)];
