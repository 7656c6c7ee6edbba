import type { Lowering } from './lowering.js';

/** Gemm takes the transpose flags directly, so no Transpose node is emitted. */
export const matmulLowering: Lowering<'matmul'> = (graph, node, inputs) =>
  graph.op('Gemm', inputs, { transA: { int: node.attrs.transposeA ? 1 : 0 }, transB: { int: node.attrs.transposeB ? 1 : 0 } });
