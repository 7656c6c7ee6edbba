import { cosineSimilarity, type Tensor } from '@ltssl/core';

/**
 * BYOL's loss of each example (Grill et al. 2020, eq. 2 and its symmetrised
 * total L + L~): the squared distance of the L2-normalised online prediction
 * q and target projection z', ||q/|q| - z'/|z'|||^2 = 2 - 2 cos(q, z'), for
 * view 1's prediction against view 2's target plus view 2's against view 1's.
 * The targets come from the EMA network: stop-gradient here too, so no
 * gradient reaches them whatever the caller passes.
 *
 * @param q1 online predictions of view 1 [B, d]; q2 of view 2 [B, d]
 * @param z1 target projections of view 1 [B, d]; z2 of view 2 [B, d]
 * @returns [B], each in [0, 8]; its mean is byolLoss
 */
export function byolPerExample(q1: Tensor, q2: Tensor, z1: Tensor, z2: Tensor): Tensor {
  const d1 = cosineSimilarity(q1, z2.stopGradient()); // [B]
  const d2 = cosineSimilarity(q2, z1.stopGradient()); // [B]
  return d1.add(d2).mul(-2).add(4); // [B]: (2 - 2 d1) + (2 - 2 d2)
}

/** BYOL's symmetrised loss, the mean over the batch of byolPerExample. */
export function byolLoss(q1: Tensor, q2: Tensor, z1: Tensor, z2: Tensor): Tensor {
  return byolPerExample(q1, q2, z1, z2).mean(); // []
}
