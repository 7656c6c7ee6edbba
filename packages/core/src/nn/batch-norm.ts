import { batchNormalize } from '../functional/batch-normalize.js';
import type { Tensor } from '../trace/tensor.js';
import { Module, type ModuleContext } from './module.js';

export interface BatchNormOptions {
  /** PyTorch's momentum: running = (1 - momentum) * running + momentum * batch. Default 0.1. */
  readonly momentum?: number;
  /** Added to the variance. Default 1e-5. */
  readonly eps?: number;
  /** Learnable scale and shift (weight, bias). Default true. */
  readonly affine?: boolean;
}

/**
 * BatchNorm over the channel axis 1 of [N, C] (BatchNorm1d) or [N, C, H, W]
 * (BatchNorm2d), as PyTorch: training normalises with the batch mean and the
 * biased variance and updates running_mean / running_var (the unbiased
 * variance) and num_batches_tracked; eval normalises with the running
 * statistics and updates nothing.
 */
export class BatchNorm extends Module {
  readonly momentum: number;
  readonly eps: number;
  readonly affine: boolean;

  constructor(
    readonly channels: number,
    options: BatchNormOptions = {},
  ) {
    super();
    this.momentum = options.momentum ?? 0.1;
    this.eps = options.eps ?? 1e-5;
    this.affine = options.affine ?? true;
    if (this.affine) {
      this.param('weight', [channels], { kind: 'fill', value: 1 });
      this.param('bias', [channels], { kind: 'fill', value: 0 });
    }
    this.buffer('running_mean', [channels], { kind: 'fill', value: 0 });
    this.buffer('running_var', [channels], { kind: 'fill', value: 1 });
    this.buffer('num_batches_tracked', [], { kind: 'fill', value: 0 }, 'int32');
  }

  forward(ctx: ModuleContext, x: Tensor): Tensor {
    if (x.rank !== 2 && x.rank !== 4) throw new Error(`BatchNorm expects [N, C] or [N, C, H, W], got rank ${x.rank}`);
    const axes = x.rank === 4 ? [0, 2, 3] : [0];
    const statShape = x.rank === 4 ? [1, this.channels, 1, 1] : [1, this.channels];
    if (ctx.training) {
      const count = axes.reduce((n, a) => n * x.shape[a]!, 1);
      if (count < 2) throw new Error(`BatchNorm in training mode needs more than one value per channel, got input ${JSON.stringify(x.shape)}`);
      const affine = this.affine ? { scale: ctx.get('weight').reshape(statShape), shift: ctx.get('bias').reshape(statShape) } : undefined;
      const { output, mean, variance } = batchNormalize(x, axes, this.eps, affine); // like x; [1, C(, 1, 1)] x2
      const m = this.momentum;
      const runningMean = ctx.get('running_mean');
      const runningVar = ctx.get('running_var');
      ctx.set('running_mean', runningMean.mul(1 - m).add(mean.reshape([this.channels]).mul(m)));
      ctx.set('running_var', runningVar.mul(1 - m).add(variance.reshape([this.channels]).mul(m * (count / (count - 1)))));
      ctx.set('num_batches_tracked', ctx.get('num_batches_tracked').add(1));
      return output;
    }
    // Eval: one scale and one shift per channel, folded before touching the activation (two passes over x, not four).
    const inverseStd = x.tracer.constant(1, x.dtype).div(ctx.get('running_var').add(this.eps).sqrt()); // [C]
    const scale = this.affine ? inverseStd.mul(ctx.get('weight')) : inverseStd; // [C]
    const shift = ctx.get('running_mean').mul(scale).neg(); // [C]
    return x.mul(scale.reshape(statShape)).add((this.affine ? shift.add(ctx.get('bias')) : shift).reshape(statShape)); // like x
  }
}
