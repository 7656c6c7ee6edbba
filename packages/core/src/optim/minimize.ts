import { grad } from '../autodiff/grad.js';
import { commitBuffers, type Variables } from '../nn/variables.js';
import type { Tensor } from '../trace/tensor.js';
import type { Tracer } from '../trace/tracer.js';
import type { Optimizer } from './optimizer.js';

/**
 * The tail of every training step: gradients of `loss` for the trainable
 * parameters of `variables`, the optimizer's updates, and the buffers the
 * forward passes changed (BatchNorm's running statistics). Returns the global
 * gradient norm, which a trainer fetches to stop on a non-finite step.
 */
export function minimize(tracer: Tracer, loss: Tensor, variables: readonly Variables[], optimizer: Optimizer, lr: Tensor): Tensor {
  const params = variables.flatMap((v) => v.parameters());
  const grads = grad(loss, params.map((p) => p.value));
  optimizer.step(
    tracer,
    params.map((p, i) => ({ name: p.name, value: p.value, grad: grads[i]! })),
    lr,
  );
  for (const v of variables) commitBuffers(tracer, v);
  return grads.map((g) => g.square().sum()).reduce((a, b) => a.add(b)).sqrt();
}
