import { l2Normalize, type Tensor } from '@ltssl/core';

/**
 * SimSiam's collapse monitor (Chen & He 2021, Sec. 4.1): the per-dimension
 * standard deviation over the batch of the L2-normalised outputs z [B, d],
 * averaged over dimensions. About 1 / sqrt(d) when the outputs spread over the
 * sphere, 0 when they have collapsed to one point. Monitored, never trained on.
 */
export function collapseStd(z: Tensor): Tensor {
  const normalized = l2Normalize(z.stopGradient()); // [B, d]
  const centered = normalized.sub(normalized.mean([0], true)); // [B, d]
  return centered.square().mean([0]).sqrt().mean(); // []
}
