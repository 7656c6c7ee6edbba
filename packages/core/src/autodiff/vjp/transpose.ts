import { inversePermutation } from '../../ops/transpose.js';
import type { VjpRule } from './vjp-rule.js';

export const transposeVjp: VjpRule<'transpose'> = ({ g, attrs }) => [g.transpose(inversePermutation(attrs.perm))];
