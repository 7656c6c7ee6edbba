import type { Tensor } from '../trace/tensor.js';
import { Module, type ModuleContext } from './module.js';

/** nn.Sequential: children named '0', '1', ... as in PyTorch's state_dict. */
export class Sequential extends Module {
  readonly layers: readonly Module[];

  constructor(...layers: Module[]) {
    super();
    this.layers = layers.map((layer, i) => this.child(String(i), layer));
  }

  forward(ctx: ModuleContext, x: Tensor): Tensor {
    return this.layers.reduce((h, layer, i) => ctx.run(String(i), layer, h), x);
  }
}
