import { withCustomVjp } from '../autodiff/custom-vjp.js';
import type { Tensor } from '../trace/tensor.js';

/** What batchNormalize returns; the statistics are for the running averages. */
export interface BatchNormalized {
  /** (x - mean) / sqrt(variance + eps), shaped like x. */
  readonly output: Tensor;
  /** The batch mean over `axes`, kept as size-1 axes ([1, C, 1, 1] for NCHW over [0, 2, 3]). */
  readonly mean: Tensor;
  /** The biased batch variance over `axes`, shaped like `mean`. */
  readonly variance: Tensor;
}

/**
 * BatchNorm's training-mode normalisation of x over `axes` with the batch
 * statistics (biased variance, as PyTorch normalises), with its closed-form
 * gradient: for cotangent g, per channel over the n reduced values,
 *   dx = (g - mean(g) - xhat * mean(g * xhat)) / sqrt(variance + eps).
 * Autodiff through the composite would take about twice as many passes over
 * the activation (materialised broadcasts of the mean's and the variance's
 * gradients, the square's product rule); the closed form takes two
 * reductions and four element-wise passes.
 */
export function batchNormalize(x: Tensor, axes: readonly number[], eps: number): BatchNormalized {
  return withCustomVjp(
    'batchNormalize',
    [x],
    () => {
      const mean = x.mean(axes, true); // [1, C(, 1, 1)]
      const centered = x.sub(mean); // like x
      const variance = centered.square().mean(axes, true); // [1, C(, 1, 1)], biased
      const inverseStd = x.tracer.constant(1, x.dtype).div(variance.add(eps).sqrt()); // [1, C(, 1, 1)]
      return { output: centered.mul(inverseStd), mean, variance, inverseStd };
    },
    (g, { output: xhat, inverseStd }) => {
      const gMean = g.mean(axes, true); // [1, C(, 1, 1)]
      const gXhatMean = g.mul(xhat).mean(axes, true); // [1, C(, 1, 1)]
      // g/s - xhat (mean(g xhat)/s) - mean(g)/s, the per-channel factors folded before touching the activation.
      return [g.mul(inverseStd).sub(xhat.mul(gXhatMean.mul(inverseStd))).sub(gMean.mul(inverseStd))]; // like x
    },
  );
}
