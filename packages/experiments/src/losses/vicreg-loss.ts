import type { Tensor } from '@ltssl/core';
import { identityMask } from './diagonal-mask.js';

/** VICReg's weights: lambda (invariance), mu (variance), nu (covariance). */
export interface VicRegWeights {
  readonly lambda: number;
  readonly mu: number;
  readonly nu: number;
}

/** The three terms and their weighted sum. */
export interface VicRegTerms {
  readonly loss: Tensor;
  readonly invariance: Tensor;
  readonly variance: Tensor;
  readonly covariance: Tensor;
}

/** v(Z) = mean_j max(0, 1 - sqrt(Var(z_j) + 1e-4)): the hinge on each dimension's std over the batch (unbiased variance). [] */
function varianceHinge(z: Tensor, b: number): Tensor {
  const centered = z.sub(z.mean([0], true)); // [B, D]
  const std = centered.square().sum([0]).div(b - 1).add(1e-4).sqrt(); // [D]
  return std.neg().add(1).relu().mean(); // []
}

/** c(Z) = sum_{i != j} Cov(Z)_ij^2 / D, Cov(Z) = Zc^T Zc / (B - 1). [] */
function covariancePenalty(z: Tensor, b: number, d: number): Tensor {
  const centered = z.sub(z.mean([0], true)); // [B, D]
  const cov = centered.matmul(centered, true, false).div(b - 1); // [D, D]
  const offDiagonal = identityMask(z.tracer, d, z.dtype).neg().add(1); // [D, D]
  return cov.square().mul(offDiagonal).sum().div(d); // []
}

/**
 * VICReg's loss (Bardes, Ponce and LeCun, ICLR 2022, eq. 6) as the official
 * code computes it (facebookresearch/vicreg, main_vicreg.py), whose weights
 * the defaults are:
 *   l(Z, Z') = lambda s(Z, Z') + mu [v(Z) + v(Z')] / 2 + nu [c(Z) + c(Z')],
 * s the mean squared distance of the paired embeddings (over B and D), v the
 * variance hinge with gamma = 1 and eps = 1e-4 (unbiased variance), c the
 * squared off-diagonal covariances over D. The paper's eq. 6 writes the
 * variance term without the 1/2; the code, which produced its results, has it.
 *
 * @param z1 expander outputs of view 1 [B, D]; z2 of view 2 [B, D], B >= 2
 */
export function vicregLoss(z1: Tensor, z2: Tensor, w: VicRegWeights): VicRegTerms {
  if (z1.rank !== 2 || z2.rank !== 2 || z1.shape[0] !== z2.shape[0] || z1.shape[1] !== z2.shape[1]) {
    throw new Error(`vicregLoss: both views must be [B, D] alike, got [${z1.shape.join(', ')}] and [${z2.shape.join(', ')}]`);
  }
  const [b, d] = z1.shape as [number, number];
  if (b < 2) throw new Error(`vicregLoss: the variance and covariance terms need a batch of 2 or more, got ${b}`);
  const invariance = z1.sub(z2).square().mean(); // []
  const variance = varianceHinge(z1, b).add(varianceHinge(z2, b)).mul(0.5); // []
  const covariance = covariancePenalty(z1, b, d).add(covariancePenalty(z2, b, d)); // []
  const loss = invariance.mul(w.lambda).add(variance.mul(w.mu)).add(covariance.mul(w.nu)); // []
  return { loss, invariance, variance, covariance };
}
