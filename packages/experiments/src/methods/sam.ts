import { grad, globalNorm, type Tensor } from '@ltssl/core';

/**
 * Sharpness-aware minimisation around any method's loss (Foret et al. 2021):
 * ascend by rho along the normalised gradient, take the gradient there, and
 * update from the original point. ASAM (Kwon et al. 2021) scales the ascent
 * per parameter by T_w = |w| + eta. rwSAM (docs/paper.md) weights the inner
 * (ascent) loss per example; the outer loss stays unweighted.
 */
export interface SamOptions {
  /** Perturbation radius rho (the official rwSAM code runs ASAM with rho 7.0 on CIFAR; SAM's usual is 0.05). */
  readonly rho: number;
  /** ASAM: the adaptive, scale-invariant ascent. */
  readonly adaptive: boolean;
  /** ASAM's eta in T_w = |w| + eta (0.01). */
  readonly eta?: number;
  /** rwSAM: weight the inner loss by the step's 'weights' input [B]. */
  readonly reweighted: boolean;
}

/** The inner loss: the plain mean, or rwSAM's mean of weighted per-example losses. */
export function innerLoss(loss: Tensor, perExample: Tensor | undefined, weights: Tensor | undefined, method: string): Tensor {
  if (!weights) return loss;
  if (!perExample) throw new Error(`rwSAM: ${method}'s loss does not split by example, so it cannot be reweighted; use SAM, or a method with per-example losses (simsiam, supervised)`);
  return perExample.mul(weights).mean(); // [] (weights: [B], mean 1 over the training set)
}

/**
 * The perturbation e of every parameter, from the inner loss's gradient g:
 * SAM e = rho g / ||g||; ASAM e = rho T^2 g / ||T g||, T = |w| + eta. Norms are
 * global over all parameters, as in SAM. e is a constant for the outer
 * gradient (the usual first-order SAM).
 */
export function samPerturbation(params: readonly Tensor[], grads: readonly Tensor[], o: SamOptions): Tensor[] {
  const eta = o.eta ?? 0.01;
  const scale = o.adaptive ? params.map((w) => w.abs().add(eta)) : undefined; // T_w, like w
  const scaled = scale ? grads.map((g, i) => g.mul(scale[i]!)) : grads; // T g
  const norm = globalNorm(scaled).add(1e-12); // []
  return grads.map((g, i) => {
    const direction = scale ? scaled[i]!.mul(scale[i]!) : g; // T^2 g, or g
    return direction.mul(o.rho).div(norm).stopGradient();
  });
}

/** The inner gradient of a SAM step: d(inner loss)/d(params). */
export function innerGradients(inner: Tensor, params: readonly Tensor[]): Tensor[] {
  return grad(inner, params);
}
