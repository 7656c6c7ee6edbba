import { grad } from '../autodiff/grad.js';
import { commitBuffers, type Variables } from '../nn/variables.js';
import type { Tensor } from '../trace/tensor.js';
import type { Tracer } from '../trace/tracer.js';
import type { Optimizer } from './optimizer.js';

/** The global L2 norm of a list of gradients: what trainers fetch to stop on a non-finite step. */
export function globalNorm(grads: readonly Tensor[]): Tensor {
  return grads.map((g) => g.square().sum()).reduce((a, b) => a.add(b)).sqrt();
}

/**
 * Records the optimizer's updates of the trainable parameters of `variables`
 * from given gradients (aligned with `parameters()` in order), and commits the
 * buffers the forward passes changed. SAM supplies gradients taken elsewhere
 * than at the parameters' current values.
 */
export function applyGradients(tracer: Tracer, variables: readonly Variables[], grads: readonly Tensor[], optimizer: Optimizer, lr: Tensor): void {
  const params = variables.flatMap((v) => v.parameters());
  if (params.length !== grads.length) throw new Error(`applyGradients: ${params.length} parameters but ${grads.length} gradients`);
  optimizer.step(
    tracer,
    params.map((p, i) => ({ name: p.name, value: p.value, grad: grads[i]! })),
    lr,
  );
  for (const v of variables) commitBuffers(tracer, v);
}

/**
 * The tail of every training step: gradients of `loss` for the trainable
 * parameters of `variables`, the optimizer's updates, and the buffers the
 * forward passes changed (BatchNorm's running statistics). Returns the global
 * gradient norm.
 */
export function minimize(tracer: Tracer, loss: Tensor, variables: readonly Variables[], optimizer: Optimizer, lr: Tensor): Tensor {
  const grads = grad(loss, variables.flatMap((v) => v.parameters()).map((p) => p.value));
  applyGradients(tracer, variables, grads, optimizer, lr);
  return globalNorm(grads);
}
