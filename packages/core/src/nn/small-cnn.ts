import type { Tensor } from '../trace/tensor.js';
import { BatchNorm } from './batch-norm.js';
import { Conv2d } from './conv2d.js';
import { Module, type ModuleContext } from './module.js';

export interface SmallCnnOptions {
  readonly inChannels: number;
  /** Channels of the first conv; the next two double it. Default 32. */
  readonly width?: number;
  /** The normalisation layer after each conv (MoCo's split BatchNorm); default BatchNorm. */
  readonly norm?: (channels: number) => Module;
}

/**
 * A small encoder for CPU-sized studies: three 3x3 conv-BN-ReLU layers
 * (stride 1, 2, 2; widths w, 2w, 4w), no max-pool, global average pooling.
 * Outputs features [N, 4w].
 */
export class SmallCnn extends Module {
  readonly featureDim: number;
  readonly #layers: [Conv2d, Module][];

  constructor(options: SmallCnnOptions) {
    super();
    const w = options.width ?? 32;
    const widths = [w, 2 * w, 4 * w];
    let inC = options.inChannels;
    this.#layers = widths.map((outC, i) => {
      const conv = this.child(`conv${i + 1}`, new Conv2d(inC, outC, { kernelSize: 3, stride: i === 0 ? 1 : 2, padding: 1, bias: false }));
      const bn = this.child(`bn${i + 1}`, options.norm ? options.norm(outC) : new BatchNorm(outC));
      inC = outC;
      return [conv, bn];
    });
    this.featureDim = 4 * w;
  }

  /** The last convolutional feature map, before pooling: [N, 4w, H/4, W/4] (what Grad-CAM differentiates). */
  featureMap(ctx: ModuleContext, x: Tensor): Tensor {
    let h = x;
    this.#layers.forEach(([conv, bn], i) => (h = ctx.run(`bn${i + 1}`, bn, ctx.run(`conv${i + 1}`, conv, h)).relu()));
    return h;
  }

  forward(ctx: ModuleContext, x: Tensor): Tensor {
    return this.featureMap(ctx, x).mean([2, 3]); // [N, 4w]
  }
}
