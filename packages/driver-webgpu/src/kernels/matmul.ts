import type { Kernel } from './kernel.js';
import { gemmPlan } from './gemm.js';

/**
 * y = op(a) op(b) with the transpose flags folded into the loads: a is [M,K]
 * (contiguous along k) or, transposed, [K,M] (contiguous along m); likewise b.
 * Rows whose length is a multiple of 4 are loaded as vec4.
 * Parameters from word 8: the row lengths of a and b as stored.
 */
export const matmulKernel: Kernel<'matmul'> = ({ node, inputs, output }) => {
  const { transposeA, transposeB } = node.attrs;
  const [M, N] = output.shape as [number, number];
  const K = transposeA ? inputs[0]!.shape[0]! : inputs[0]!.shape[1]!;
  const aRow = inputs[0]!.shape[1]!; // K, or M when transposed
  const bRow = inputs[1]!.shape[1]!; // N, or K when transposed
  const aVec4 = aRow % 4 === 0;
  const bVec4 = bRow % 4 === 0;
  const aIndex = transposeA ? 'k * prm(8u) + m' : 'm * prm(8u) + k';
  const bIndex = transposeB ? 'n * prm(9u) + k' : 'k * prm(9u) + n';
  return gemmPlan({
    kernel: 'matmul',
    M,
    N,
    K,
    a: { kind: 'input', index: 0 },
    b: { kind: 'input', index: 1 },
    aMajor: transposeA ? 'm' : 'k',
    bMajor: transposeB ? 'k' : 'n',
    aVec4,
    bVec4,
    loadA: aVec4 ? `fn loadA4(m: u32, k: u32) -> vec4<f32> { return a[(${aIndex}) >> 2u]; }` : `fn loadA(m: u32, k: u32) -> f32 { return a[${aIndex}]; }`,
    loadB: bVec4 ? `fn loadB4(k: u32, n: u32) -> vec4<f32> { return b[(${bIndex}) >> 2u]; }` : `fn loadB(k: u32, n: u32) -> f32 { return b[${bIndex}]; }`,
    params: [aRow, bRow],
  });
};
