import type { Tensor } from '../trace/tensor.js';
import { defaultBias, kaimingUniformDefault, type Initializer } from './init.js';
import { Module, type ModuleContext } from './module.js';

export interface Conv2dOptions {
  readonly kernelSize: number;
  readonly stride?: number;
  /** Symmetric zero padding (PyTorch's `padding`). */
  readonly padding?: number;
  /** False when a BatchNorm follows: its shift makes a bias redundant. */
  readonly bias?: boolean;
  /** Weight initialiser; PyTorch's default kaiming_uniform_(a = sqrt(5)) when omitted. */
  readonly weightInit?: Initializer;
}

/** nn.Conv2d: weight [out, in, k, k] (OIHW), optional bias [out]; NCHW in and out. */
export class Conv2d extends Module {
  readonly stride: number;
  readonly padding: number;
  readonly hasBias: boolean;

  constructor(
    readonly inChannels: number,
    readonly outChannels: number,
    readonly options: Conv2dOptions,
  ) {
    super();
    const k = options.kernelSize;
    this.stride = options.stride ?? 1;
    this.padding = options.padding ?? 0;
    this.hasBias = options.bias ?? true;
    const fanIn = inChannels * k * k;
    this.param('weight', [outChannels, inChannels, k, k], options.weightInit ?? kaimingUniformDefault(fanIn));
    if (this.hasBias) this.param('bias', [outChannels], defaultBias(fanIn));
  }

  forward(ctx: ModuleContext, x: Tensor): Tensor {
    const p = this.padding;
    const y = x.conv2d(ctx.get('weight'), { strides: [this.stride, this.stride], pads: [p, p, p, p] }); // [N, out, H', W']
    return this.hasBias ? y.add(ctx.get('bias').reshape([1, this.outChannels, 1, 1])) : y;
  }
}
