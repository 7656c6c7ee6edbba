import type { Tensor, Tracer } from '@ltssl/core';

/**
 * The identity [n, n] in `dtype` from `equal` of two iota constants, so a
 * mask of the diagonal costs n constant numbers rather than an n x n literal
 * (contrastiveLoss's self-pair mask, Barlow Twins' and VICReg's off-diagonal sums).
 */
export function identityMask(tracer: Tracer, n: number, dtype: Tensor['dtype']): Tensor {
  const iota = tracer.constant(Array.from({ length: n }, (_, i) => i), 'int32', [n]); // [n]
  return iota.reshape([n, 1]).equal(iota.reshape([1, n])).cast(dtype); // [n, n]
}
