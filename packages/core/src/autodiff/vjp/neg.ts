import type { VjpRule } from './vjp-rule.js';

export const negVjp: VjpRule<'neg'> = ({ g }) => [g.neg()];
