import type { Tensor } from '../trace/tensor.js';
import type { Tracer } from '../trace/tracer.js';
import { optimizerSlot, type Optimizer, type ParameterGradient } from './optimizer.js';

export interface SgdOptions {
  /** Momentum factor (SimSiam: 0.9). 0 keeps no buffer. */
  readonly momentum?: number;
  /** Dampening of the momentum's gradient term (PyTorch's default 0). */
  readonly dampening?: number;
  /** Nesterov momentum (the paper's fine-tuning uses it). */
  readonly nesterov?: boolean;
  /** L2 penalty added to the gradient, coupled as in torch.optim.SGD (SimSiam: 5e-4). */
  readonly weightDecay?: number;
}

/**
 * torch.optim.SGD: d = g + wd * p; buf = momentum * buf + (1 - dampening) * d
 * (PyTorch's first step sets buf = d, which equals this from buf = 0 when
 * dampening is 0); d = nesterov ? d + momentum * buf : buf; p = p - lr * d.
 */
export class Sgd implements Optimizer {
  readonly momentum: number;
  readonly dampening: number;
  readonly nesterov: boolean;
  readonly weightDecay: number;

  constructor(options: SgdOptions = {}) {
    this.momentum = options.momentum ?? 0;
    this.dampening = options.dampening ?? 0;
    this.nesterov = options.nesterov ?? false;
    this.weightDecay = options.weightDecay ?? 0;
    if (this.nesterov && (this.momentum <= 0 || this.dampening !== 0)) throw new Error('Sgd: Nesterov momentum needs momentum > 0 and zero dampening');
    if (this.dampening !== 0) throw new Error('Sgd: dampening other than 0 is not supported (PyTorch special-cases the first step)');
  }

  step(tracer: Tracer, params: readonly ParameterGradient[], lr: Tensor): void {
    for (const { name, value, grad } of params) {
      let d: Tensor = this.weightDecay !== 0 ? grad.add(value.mul(this.weightDecay)) : grad;
      if (this.momentum !== 0) {
        const slot = optimizerSlot(name, 'momentum_buffer');
        const buf = tracer.state({ name: slot, dtype: value.dtype, shape: value.shape, init: { kind: 'fill', value: 0 }, trainable: false });
        const next = buf.mul(this.momentum).add(d);
        tracer.update(slot, next);
        d = this.nesterov ? d.add(next.mul(this.momentum)) : next;
      }
      tracer.update(name, value.sub(d.mul(lr)));
    }
  }
}
