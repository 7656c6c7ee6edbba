import type { Tensor } from '../trace/tensor.js';
import { logSoftmax } from './log-softmax.js';
import { oneHot } from './one-hot.js';

/** Softmax cross-entropy per example: logits [N, C], int32 labels [N] -> [N]. */
export function crossEntropyPerExample(logits: Tensor, labels: Tensor): Tensor {
  const classes = logits.shape[1]!;
  const target = oneHot(labels, classes, logits.dtype); // [N, C]
  return target.mul(logSoftmax(logits, 1)).sum([1]).neg(); // [N]
}

/** Mean softmax cross-entropy of logits [N, C] against int32 labels [N] (PyTorch's F.cross_entropy). */
export function crossEntropy(logits: Tensor, labels: Tensor): Tensor {
  return crossEntropyPerExample(logits, labels).mean();
}

/** Correct top-1 predictions among logits [N, C] for int32 labels [N], as an int32 scalar. */
export function correctCount(logits: Tensor, labels: Tensor): Tensor {
  return logits.argMax(1).equal(labels).sum();
}
