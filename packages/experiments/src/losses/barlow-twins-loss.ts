import { batchNormalize, type Tensor } from '@ltssl/core';
import { identityMask } from './diagonal-mask.js';

/**
 * Barlow Twins' loss (Zbontar et al. 2021, eq. 1): with each embedding
 * dimension normalised over the batch (zero mean, unit variance: the official
 * code's BatchNorm1d(affine=False), biased variance plus eps 1e-5), the
 * cross-correlation of the two views
 *   C_ij = sum_b zA_bi zB_bj / B,
 * and
 *   L = sum_i (1 - C_ii)^2 + lambda sum_i sum_{j != i} C_ij^2,
 * the invariance term pulling C's diagonal to 1 and the redundancy-reduction
 * term pushing the rest to 0.
 *
 * @param zA projector outputs of view 1 [B, D]; zB of view 2 [B, D], B >= 2
 * @param lambda the off-diagonal weight (paper: 5e-3; the official code 0.0051)
 */
export function barlowTwinsLoss(zA: Tensor, zB: Tensor, lambda: number): Tensor {
  if (zA.rank !== 2 || zB.rank !== 2 || zA.shape[0] !== zB.shape[0] || zA.shape[1] !== zB.shape[1]) {
    throw new Error(`barlowTwinsLoss: both views must be [B, D] alike, got [${zA.shape.join(', ')}] and [${zB.shape.join(', ')}]`);
  }
  const [b, d] = zA.shape as [number, number];
  const normA = batchNormalize(zA, [0], 1e-5).output; // [B, D]
  const normB = batchNormalize(zB, [0], 1e-5).output; // [B, D]
  const c = normA.matmul(normB, true, false).div(b); // [D, D]
  const eye = identityMask(zA.tracer, d, zA.dtype); // [D, D]
  const onDiagonal = c.sub(1).square().mul(eye).sum(); // []
  const offDiagonal = c.square().mul(eye.neg().add(1)).sum(); // []
  return onDiagonal.add(offDiagonal.mul(lambda)); // []
}
