import { l2Normalize, logSoftmax, type Tensor } from '@ltssl/core';
import { identityMask } from './diagonal-mask.js';

/**
 * The logit given to each sample's similarity with itself. exp of it is exactly
 * 0 in float32 and float64, so self-pairs drop out of every softmax; it is
 * finite (not -Infinity), so 0 x it is 0 where the positive mask is zero and no
 * NaN enters the loss or its gradient.
 */
const SELF_LOGIT = -1e9;

/**
 * The contrastive loss shared by SimCLR and SupCon (solo-learn's trick: one
 * loss, positives by id). For n embeddings z [n, d], L2-normalised here, and
 * int32 ids [n], anchor i's positives P(i) are the other samples with its id:
 *
 *   L = -1/n sum_i 1/|P(i)| sum_{p in P(i)} log( exp(s_ip / tau) / sum_{a != i} exp(s_ia / tau) ),
 *
 * s = cosine similarity. With instance ids (both views of image b carry id b)
 * it is SimCLR's NT-Xent (Chen et al. 2020, eq. 1, averaged over all 2B
 * anchors); with class labels it is SupCon's L_out (Khosla et al. 2020, eq. 2),
 * the log-probabilities averaged over the positives outside the log. Without
 * SupContrast's extra factor tau / 0.07, which only rescales the loss.
 *
 * Written in primitives, no gather: the positive mask is `equal` of the ids
 * against their transpose minus the identity, and the identity comes from
 * `equal` of two iota constants, so a batch of n costs O(n) constant numbers
 * rather than an n x n literal (identityMask). An anchor with no positive (an id seen once)
 * contributes 0 instead of 0/0, as SupContrast's guard does.
 *
 * @param z embeddings [n, d], n >= 2 (the 2B views, view 1 then view 2)
 * @param ids int32 [n]: instance ids (SimCLR) or labels (SupCon)
 * @param temperature tau > 0 (SimCLR on CIFAR: 0.5; SupCon: 0.1), or a float32 []
 *   tensor (a program input: SimCLR's per-step temperature schedule)
 */
export function contrastiveLoss(z: Tensor, ids: Tensor, temperature: number | Tensor): Tensor {
  if (z.rank !== 2 || !z.isFloat) throw new Error(`contrastiveLoss: embeddings must be float [n, d], got ${z.dtype}[${z.shape.join(', ')}]`);
  const n = z.shape[0]!;
  if (n < 2) throw new Error(`contrastiveLoss: needs at least 2 embeddings to contrast, got ${n}`);
  if (ids.dtype !== 'int32' || ids.rank !== 1 || ids.shape[0] !== n) {
    throw new Error(`contrastiveLoss: ids must be int32 [${n}] (one per embedding), got ${ids.dtype}[${ids.shape.join(', ')}]`);
  }
  if (typeof temperature === 'number' && !(temperature > 0)) throw new Error(`contrastiveLoss: temperature must be positive, got ${temperature}`);
  if (typeof temperature !== 'number' && (temperature.rank !== 0 || temperature.dtype !== z.dtype)) {
    throw new Error(`contrastiveLoss: a temperature tensor must be a ${z.dtype} scalar [], got ${temperature.dtype}[${temperature.shape.join(', ')}]`);
  }
  const tracer = z.tracer;
  const normalized = l2Normalize(z); // [n, d]
  const similarity = normalized.matmul(normalized, false, true).div(temperature); // [n, n]
  const eye = identityMask(tracer, n, z.dtype); // [n, n]
  const logProb = logSoftmax(similarity.add(eye.mul(SELF_LOGIT)), 1); // [n, n], self excluded
  // ids == ids^T is 1 on the diagonal (every id equals itself): subtracting the identity drops self-pairs.
  const positives = ids.reshape([n, 1]).equal(ids.reshape([1, n])).cast(z.dtype).sub(eye); // [n, n]
  const count = positives.sum([1]).maximum(1); // [n]
  const meanLogProb = positives.mul(logProb).sum([1]).div(count); // [n]
  return meanLogProb.mean().neg(); // []
}
