import { matMul, transpose } from '@tensorflow/tfjs-core';
import { identity } from '../layout/perm.js';
import type { TfjsKernel } from './kernel.js';
import { noDemand } from './layout-rules.js';

/**
 * A rank-2 operand held transposed ([1, 0]) is used as it is with its
 * transpose flag flipped, so matmul never needs a layout conversion. The
 * wasm backend multiplies fast (XNNPACK) only without flags: with one it was
 * 6-8x slower than transposing the operand first (a [64, 16384] x
 * [16384, 288] product: 46 ms plain, 350 ms with transposeB), so flags
 * become explicit transposes there.
 */
export const matmulKernel: TfjsKernel<'matmul'> = {
  layout: ({ node, inputs: [a, b] }) => ({
    inputs: [a!.perm, b!.perm],
    output: identity(2),
    attrs: { transposeA: node.attrs.transposeA !== (a!.perm[0] === 1), transposeB: node.attrs.transposeB !== (b!.perm[0] === 1) },
  }),
  demand: noDemand(),
  run: ([a, b], { transposeA, transposeB }, _out, ctx) => {
    if (ctx.nativeKernels) return matMul(a!, b!, transposeA, transposeB);
    return matMul(transposeA ? transpose(a!) : a!, transposeB ? transpose(b!) : b!);
  },
};
