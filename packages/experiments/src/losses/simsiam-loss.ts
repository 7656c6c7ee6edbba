import { cosineSimilarity, type Tensor } from '@ltssl/core';

/**
 * SimSiam's symmetric loss (Chen & He 2021, Alg. 1):
 * L = D(p1, sg(z2)) / 2 + D(p2, sg(z1)) / 2, D(p, z) = -mean_b cos(p_b, z_b).
 * p1, p2: predictor outputs [B, d]; z1, z2: projector outputs [B, d].
 * The stop-gradient on the targets is what keeps SimSiam from collapsing.
 */
export function simsiamLoss(p1: Tensor, p2: Tensor, z1: Tensor, z2: Tensor): Tensor {
  return simsiamPerExample(p1, p2, z1, z2).mean(); // []
}

/** SimSiam's loss of each example, [B]: -(cos(p1, sg(z2)) + cos(p2, sg(z1))) / 2; its mean is simsiamLoss. */
export function simsiamPerExample(p1: Tensor, p2: Tensor, z1: Tensor, z2: Tensor): Tensor {
  const d1 = cosineSimilarity(p1, z2.stopGradient()); // [B]
  const d2 = cosineSimilarity(p2, z1.stopGradient()); // [B]
  return d1.add(d2).mul(-0.5);
}
