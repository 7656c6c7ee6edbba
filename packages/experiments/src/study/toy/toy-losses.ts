import { oneHot, type Tensor } from '@ltssl/core';

/**
 * Multiclass hinge loss with margin 1 (Weston-Watkins), the mean over rows of
 * sum_{k != y} max(0, 1 + s_k - s_y), for scores [N, C] and int32 labels [N].
 * Its zero set is exactly the paper's constraint set "margin at least 1 on
 * every training example"; with a small L2 penalty its minimiser approaches
 * the min-norm point of that set (see toy-sl.ts).
 */
export function multiclassHinge(scores: Tensor, labels: Tensor): Tensor {
  const [n, classes] = scores.shape as [number, number];
  const target = oneHot(labels, classes, scores.dtype); // [N, C]
  const correct = scores.mul(target).sum([1], true); // [N, 1]: s_y
  const violations = scores.sub(correct).add(1).relu().mul(target.neg().add(1)); // [N, C], 0 in the true class's column
  return violations.sum().div(n); // []
}

/**
 * The smallest margin s_y - max_{k != y} s_k over the rows: 1 or more once
 * every constraint of the margin-1 problem holds. A monitor, not differentiated.
 */
export function minMargin(scores: Tensor, labels: Tensor): Tensor {
  const [, classes] = scores.shape as [number, number];
  const target = oneHot(labels, classes, scores.dtype); // [N, C]
  const correct = scores.mul(target).sum([1], true); // [N, 1]
  // s_y - s_k for k != y; the true class's own column is pushed up by a constant so it never is the minimum.
  const gaps = correct.sub(scores).add(target.mul(1e30)); // [N, C]
  return gaps.neg().max().neg(); // []
}

/**
 * The paper's SSL objective for a linear representation W [m, d] (docs/paper.md
 * "Toy model"): -E[(W(x + xi))^T (W(x + xi'))] + 0.5 ||W^T W||_F^2, on a batch of
 * the two views' representations z1 = W(x + xi), z2 = W(x + xi') [B, m].
 * ||W^T W||_F^2 = ||W W^T||_F^2 = tr((W W^T)^2), computed on the m x m Gram
 * matrix rather than the d x d one. In expectation over the noise the first
 * term is -tr(W^T W E[x x^T]), so the minimiser is W^T W = the top-m part of
 * the second moment E[x x^T] (Eckart-Young): what SSL keeps is the data's
 * large-variance directions, labelled or not.
 */
export function toySslLoss(z1: Tensor, z2: Tensor, weight: Tensor): Tensor {
  const batch = z1.shape[0]!;
  const agreement = z1.mul(z2).sum().div(batch); // []: mean over the batch of z1 . z2
  const gram = weight.matmul(weight, false, true); // [m, m]: W W^T
  return gram.square().sum().mul(0.5).sub(agreement); // []
}
