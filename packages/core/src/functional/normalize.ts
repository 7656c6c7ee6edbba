import type { Tensor } from '../trace/tensor.js';

/**
 * x / sqrt(||x||^2 + eps^2) along `axis`. PyTorch's F.normalize divides by
 * max(||x||, eps); the two agree to float precision unless ||x|| is near eps,
 * and this form has a finite gradient at x = 0 (max's would be 0/0 through sqrt).
 */
export function l2Normalize(x: Tensor, axis = 1, eps = 1e-12): Tensor {
  return x.div(x.square().sum([axis], true).add(eps * eps).sqrt());
}

/** Cosine similarity of matching rows of a and b [N, D] -> [N]. */
export function cosineSimilarity(a: Tensor, b: Tensor, axis = 1): Tensor {
  return l2Normalize(a, axis).mul(l2Normalize(b, axis)).sum([axis]);
}
