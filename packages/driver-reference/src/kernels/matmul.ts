import { alloc } from '../ref-tensor.js';
import type { Kernel } from './kernel.js';

/** y[i,j] = sum_k op(a)[i,k] op(b)[k,j]; transposes read through swapped strides. */
export const matmulKernel: Kernel<'matmul'> = ([a, b], { transposeA, transposeB }, out) => {
  const y = alloc(out);
  const [m, n] = out.shape as [number, number];
  const k = transposeA ? a!.shape[0]! : a!.shape[1]!;
  // op(a)[i,p] = a.data[i*ai + p*ap]; op(b)[p,j] = b.data[p*bp + j*bj]
  const [ai, ap] = transposeA ? [1, m] : [k, 1];
  const [bp, bj] = transposeB ? [1, k] : [n, 1];
  const as = a!.data;
  const bs = b!.data;
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let sum = 0;
      for (let p = 0; p < k; p++) sum += as[i * ai + p * ap]! * bs[p * bp + j * bj]!;
      y.data[i * n + j] = sum;
    }
  }
  return y;
};
