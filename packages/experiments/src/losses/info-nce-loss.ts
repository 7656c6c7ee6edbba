import { concat, logSoftmax, type Tensor } from '@ltssl/core';

export interface InfoNce {
  /** The mean InfoNCE loss, a scalar. */
  readonly loss: Tensor;
  /** Fraction of queries whose positive key wins the top-1 over its 1 + K candidates (a monitor, no gradient). */
  readonly positiveTop1: Tensor;
}

/**
 * MoCo's InfoNCE (He et al. 2020, eq. 1): each query q_b scores its positive
 * key k_b against the K negatives of the queue,
 *   logits = [q.k+, q queue^T] / T,   L = -mean_b log softmax(logits_b)[0],
 * i.e. cross-entropy with target 0, picked from the log-softmax by a static
 * slice instead of a one-hot of [B, 1 + K]. Keys and queue are constants here
 * (the key branch carries no gradient).
 *
 * @param q L2-normalised queries [B, d]
 * @param k L2-normalised positive keys [B, d]
 * @param queue L2-normalised negative keys [K, d]
 * @param temperature T > 0 (MoCo v2: 0.2)
 */
export function infoNceLoss(q: Tensor, k: Tensor, queue: Tensor, temperature: number): InfoNce {
  const [b, d] = q.shape as [number, number];
  if (q.rank !== 2 || k.rank !== 2 || k.shape[0] !== b || k.shape[1] !== d) throw new Error(`infoNceLoss: queries and keys must both be [B, d], got [${q.shape.join(', ')}] and [${k.shape.join(', ')}]`);
  if (queue.rank !== 2 || queue.shape[1] !== d) throw new Error(`infoNceLoss: the queue must be [K, ${d}], got [${queue.shape.join(', ')}]`);
  if (!(temperature > 0)) throw new Error(`infoNceLoss: temperature must be positive, got ${temperature}`);
  const positive = q.mul(k).sum([1], true); // [B, 1]
  const negative = q.matmul(queue, false, true); // [B, K]
  const logits = concat([positive, negative], 1).div(temperature); // [B, 1 + K]
  const loss = logSoftmax(logits, 1).slice([0, 0], [b, 1]).mean().neg(); // []
  const positiveTop1 = logits.stopGradient().argMax(1).equal(0).cast(q.dtype).mean(); // []
  return { loss, positiveTop1 };
}
