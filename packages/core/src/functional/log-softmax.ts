import type { Tensor } from '../trace/tensor.js';

/**
 * log softmax along `axis`, shifted by the (constant) maximum for stability:
 * x - m - log(sum(exp(x - m))). The shift cancels in the gradient, so it is
 * wrapped in stopGradient rather than differentiated through reduceMax.
 */
export function logSoftmax(x: Tensor, axis = -1): Tensor {
  const shifted = x.sub(x.max([axis], true).stopGradient());
  return shifted.sub(shifted.exp().sum([axis], true).log());
}

export function softmax(x: Tensor, axis = -1): Tensor {
  return logSoftmax(x, axis).exp();
}
