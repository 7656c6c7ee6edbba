import type { Tensor } from '../trace/tensor.js';
import { defaultBias, kaimingUniformDefault } from './init.js';
import { Module, type ModuleContext } from './module.js';

/** nn.Linear: y = x W^T + b, weight [out, in], bias [out]. */
export class Linear extends Module {
  constructor(
    readonly inFeatures: number,
    readonly outFeatures: number,
    readonly hasBias = true,
  ) {
    super();
    this.param('weight', [outFeatures, inFeatures], kaimingUniformDefault(inFeatures));
    if (hasBias) this.param('bias', [outFeatures], defaultBias(inFeatures));
  }

  forward(ctx: ModuleContext, x: Tensor): Tensor {
    const y = x.matmul(ctx.get('weight'), false, true); // [N, out]
    return this.hasBias ? y.add(ctx.get('bias')) : y;
  }
}
