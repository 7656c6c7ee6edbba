import type { Tensor } from '../trace/tensor.js';
import type { Tracer } from '../trace/tracer.js';
import { optimizerSlot, type Optimizer, type ParameterGradient } from './optimizer.js';

export interface AdamOptions {
  /** (beta1, beta2), PyTorch's default (0.9, 0.999). */
  readonly betas?: readonly [number, number];
  readonly eps?: number;
  /** L2 penalty added to the gradient (torch.optim.Adam, not AdamW). */
  readonly weightDecay?: number;
}

/**
 * torch.optim.Adam: m = b1 m + (1 - b1) g; v = b2 v + (1 - b2) g^2; t += 1;
 * p -= lr * (m / (1 - b1^t)) / (sqrt(v / (1 - b2^t)) + eps). The step count t
 * is a state slot, and b^t = exp(t ln b) keeps the op set free of pow.
 */
export class Adam implements Optimizer {
  readonly betas: readonly [number, number];
  readonly eps: number;
  readonly weightDecay: number;

  constructor(options: AdamOptions = {}) {
    this.betas = options.betas ?? [0.9, 0.999];
    this.eps = options.eps ?? 1e-8;
    this.weightDecay = options.weightDecay ?? 0;
  }

  step(tracer: Tracer, params: readonly ParameterGradient[], lr: Tensor): void {
    const [b1, b2] = this.betas;
    const stepSlot = 'optimizer.step';
    const t = tracer.state({ name: stepSlot, dtype: lr.dtype, shape: [], init: { kind: 'fill', value: 0 }, trainable: false }).add(1);
    tracer.update(stepSlot, t);
    const correction1 = t.mul(Math.log(b1)).exp().neg().add(1); // 1 - b1^t
    const correction2 = t.mul(Math.log(b2)).exp().neg().add(1); // 1 - b2^t
    for (const { name, value, grad } of params) {
      const g = this.weightDecay !== 0 ? grad.add(value.mul(this.weightDecay)) : grad;
      const state = (kind: string): Tensor =>
        tracer.state({ name: optimizerSlot(name, kind), dtype: value.dtype, shape: value.shape, init: { kind: 'fill', value: 0 }, trainable: false });
      const m = state('exp_avg').mul(b1).add(g.mul(1 - b1));
      const v = state('exp_avg_sq').mul(b2).add(g.square().mul(1 - b2));
      tracer.update(optimizerSlot(name, 'exp_avg'), m);
      tracer.update(optimizerSlot(name, 'exp_avg_sq'), v);
      const denominator = v.div(correction2).sqrt().add(this.eps);
      tracer.update(name, value.sub(m.div(correction1).div(denominator).mul(lr)));
    }
  }
}
