import { concat, type Tensor } from '@ltssl/core';
import { contrastiveLoss } from './contrastive-loss.js';

/**
 * SDCLR's loss (Jiang et al. 2021, Sec. 3.2): SimCLR's NT-Xent with view 1
 * embedded by the dense encoder and view 2 by its pruned self-competitor,
 * each image's other-branch embedding its only positive. The gradient
 * reaches both branches (the official code's two backward passes sum to the
 * full gradient), so the shared weights learn from the pruned branch too.
 *
 * @param dense head outputs of view 1 through the dense encoder [B, d]
 * @param pruned head outputs of view 2 through the pruned encoder [B, d]
 * @param temperature tau > 0 (SDCLR on CIFAR: 0.2), a number or a float32 [] input
 */
export function sdclrLoss(dense: Tensor, pruned: Tensor, temperature: number | Tensor): Tensor {
  const b = dense.shape[0]!;
  const ids = dense.tracer.constant(Array.from({ length: 2 * b }, (_, i) => i % b), 'int32', [2 * b]); // [2B]: both branches of image i carry id i
  return contrastiveLoss(concat([dense, pruned], 0), ids, temperature); // []
}
