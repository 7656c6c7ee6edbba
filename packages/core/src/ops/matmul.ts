import type { OpDef } from '../ir/op-def.js';
import { requireBool, requireFloat, requireRank, requireSameDType } from './checks.js';

export type MatmulAttrs = {
  /** Use a^T: a is [K, M]. */
  readonly transposeA: boolean;
  /** Use b^T: b is [N, K]. */
  readonly transposeB: boolean;
};

/**
 * y = op(a) op(b) on matrices. Transposes are flags, not ops, so the VJP (and
 * Linear's x W^T) needs no transpose kernel and maps to one GEMM call.
 */
export const matmul: OpDef<MatmulAttrs> = {
  name: 'matmul',
  inputs: ['a', 'b'],
  doc: {
    summary: 'Matrix product y = op(a) op(b), op(t) = t or t^T by the flags.',
    attrs: { transposeA: 'use a^T, so a is [K, M]', transposeB: 'use b^T, so b is [N, K]' },
    shape: 'a, b float, rank 2, one dtype; op(a) is [M, K], op(b) is [K, N]; y is [M, N]',
    vjp:
      'ga = transposeA ? matmul(b, g, transposeB, true) : matmul(g, b, false, !transposeB); ' +
      'gb = transposeB ? matmul(g, a, true, transposeA) : matmul(a, g, !transposeA, false)',
  },
  infer([a, b], attrs, fail) {
    const dtype = requireSameDType([a!, b!], fail);
    requireFloat(a!, 'a', fail);
    requireRank(a!, 'a', 2, 'a matrix', fail);
    requireRank(b!, 'b', 2, 'a matrix', fail);
    const transposeA = requireBool(attrs.transposeA, 'transposeA', fail);
    const transposeB = requireBool(attrs.transposeB, 'transposeB', fail);
    const [m, ka] = transposeA ? [a!.shape[1]!, a!.shape[0]!] : [a!.shape[0]!, a!.shape[1]!];
    const [kb, n] = transposeB ? [b!.shape[1]!, b!.shape[0]!] : [b!.shape[0]!, b!.shape[1]!];
    if (ka !== kb) fail(`inner dimensions differ: op(a) is [${m},${ka}] and op(b) is [${kb},${n}]`);
    return { type: { dtype, shape: [m, n] }, attrs: { transposeA, transposeB } };
  },
};
