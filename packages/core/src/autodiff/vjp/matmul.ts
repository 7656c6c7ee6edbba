import type { VjpRule } from './vjp-rule.js';

/**
 * y = op(a) op(b). With the transpose flags each cotangent is one more matmul:
 * ga = g op(b)^T (transposed back when a was), gb = op(a)^T g likewise.
 */
export const matmulVjp: VjpRule<'matmul'> = ({ g, inputs: [a, b], attrs: { transposeA, transposeB } }) => [
  transposeA ? b!.matmul(g, transposeB, true) : g.matmul(b!, false, !transposeB),
  transposeB ? g.matmul(a!, true, transposeA) : a!.matmul(g, !transposeA, false),
];
