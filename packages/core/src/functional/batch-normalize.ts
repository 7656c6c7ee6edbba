import { withCustomVjp } from '../autodiff/custom-vjp.js';
import type { Tensor } from '../trace/tensor.js';

/** What batchNormalize returns; the statistics are for the running averages. */
export interface BatchNormalized {
  /** (x - mean) / sqrt(variance + eps), times scale plus shift when given; shaped like x. */
  readonly output: Tensor;
  /** The batch mean over `axes`, kept as size-1 axes ([1, C, 1, 1] for NCHW over [0, 2, 3]). */
  readonly mean: Tensor;
  /** The biased batch variance over `axes`, shaped like `mean`. */
  readonly variance: Tensor;
}

/** BatchNorm's learnable scale and shift (weight and bias), shaped like the statistics ([1, C, 1, 1]). */
export interface BatchNormAffine {
  readonly scale: Tensor;
  readonly shift: Tensor;
}

/**
 * BatchNorm's training-mode normalisation of x over `axes` with the batch
 * statistics (biased variance, as PyTorch normalises), optionally followed by
 * its affine scale and shift, with the closed-form gradient. For cotangent g of
 * y = xhat * scale + shift, per channel over the n reduced values:
 *   dshift = sum(g), dscale = sum(g xhat),
 *   dx = scale / sqrt(variance + eps) * (g - dshift / n - xhat dscale / n)
 * (without the affine part, scale = 1 and only dx). Autodiff through the
 * composite would take about twice as many passes over the activation
 * (materialised broadcasts of the mean's and the variance's gradients, the
 * square's product rule); with the affine part inside, the per-channel factors
 * fold before touching the activation: five element-wise passes and two
 * reductions for dx, dscale and dshift together, where the affine part's own
 * autodiff added two passes and two reductions to the normalisation's.
 * The forward applies scale / sqrt(variance + eps) to x - mean in one product
 * rather than normalising and then scaling, and the gradient reads x - mean in
 * place of xhat (sum(g xhat) = sum(g (x - mean)) / sqrt(variance + eps)): one
 * activation-sized pass fewer a layer, and the same tensor kept for the backward.
 */
export function batchNormalize(x: Tensor, axes: readonly number[], eps: number, affine?: BatchNormAffine): BatchNormalized {
  const count = axes.reduce((n, a) => n * x.shape[a]!, 1);
  return withCustomVjp(
    'batchNormalize',
    affine ? [x, affine.scale, affine.shift] : [x],
    () => {
      const mean = x.mean(axes, true); // [1, C(, 1, 1)]
      const centered = x.sub(mean); // like x
      const variance = centered.square().mean(axes, true); // [1, C(, 1, 1)], biased
      const inverseStd = x.tracer.constant(1, x.dtype).div(variance.add(eps).sqrt()); // [1, C(, 1, 1)]
      const factor = affine ? affine.scale.mul(inverseStd) : inverseStd; // [1, C(, 1, 1)]: scale / std
      const scaled = centered.mul(factor); // like x
      return { output: affine ? scaled.add(affine.shift) : scaled, mean, variance, inverseStd, factor, centered };
    },
    (g, { centered, inverseStd, factor }) => {
      const gSum = g.sum(axes, true); // [1, C(, 1, 1)]: dshift
      const gXhatSum = g.mul(centered).sum(axes, true).mul(inverseStd); // [1, C(, 1, 1)]: dscale = sum(g xhat)
      const perValue = factor.mul(-1 / count); // [1, C(, 1, 1)]
      // a g - (a/n) dshift - xhat (a/n) dscale with a = factor and xhat = (x - mean) / std, the per-channel
      // factors folded before touching the activation.
      const dx = g.mul(factor).add(gSum.mul(perValue)).add(centered.mul(gXhatSum.mul(perValue).mul(inverseStd))); // like x
      return affine ? [dx, gXhatSum, gSum] : [dx];
    },
  );
}
