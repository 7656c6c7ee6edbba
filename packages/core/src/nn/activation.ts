import type { Tensor } from '../trace/tensor.js';
import { Module, type ModuleContext } from './module.js';

/** nn.ReLU. */
export class ReLU extends Module {
  forward(_ctx: ModuleContext, x: Tensor): Tensor {
    return x.relu();
  }
}
