import type { Tensor } from '../trace/tensor.js';
import { BatchNorm } from './batch-norm.js';
import { Conv2d } from './conv2d.js';
import { kaimingNormalFanOut } from './init.js';
import { Module, type ModuleContext } from './module.js';
import { Sequential } from './sequential.js';

/** torchvision initialises ResNet convolutions with kaiming_normal_(fan_out, relu). */
function conv(inC: number, outC: number, kernelSize: number, stride: number, padding: number): Conv2d {
  return new Conv2d(inC, outC, { kernelSize, stride, padding, bias: false, weightInit: kaimingNormalFanOut(outC * kernelSize * kernelSize) });
}

/** A normalisation layer factory: BatchNorm by default, MoCo's split BatchNorm when asked. */
export type NormFactory = (channels: number) => Module;

const batchNorm: NormFactory = (channels) => new BatchNorm(channels);

/** torchvision's BasicBlock: two 3x3 convs with BN, identity or 1x1-conv shortcut. */
export class BasicBlock extends Module {
  readonly conv1: Conv2d;
  readonly bn1: Module;
  readonly conv2: Conv2d;
  readonly bn2: Module;
  readonly downsample?: Sequential;

  constructor(inC: number, outC: number, stride: number, norm: NormFactory = batchNorm) {
    super();
    this.conv1 = this.child('conv1', conv(inC, outC, 3, stride, 1));
    this.bn1 = this.child('bn1', norm(outC));
    this.conv2 = this.child('conv2', conv(outC, outC, 3, 1, 1));
    this.bn2 = this.child('bn2', norm(outC));
    if (stride !== 1 || inC !== outC) this.downsample = this.child('downsample', new Sequential(conv(inC, outC, 1, stride, 0), norm(outC)));
  }

  forward(ctx: ModuleContext, x: Tensor): Tensor {
    let h = ctx.run('bn1', this.bn1, ctx.run('conv1', this.conv1, x)).relu();
    h = ctx.run('bn2', this.bn2, ctx.run('conv2', this.conv2, h));
    const shortcut = this.downsample ? ctx.run('downsample', this.downsample, x) : x;
    return h.add(shortcut).relu();
  }
}

export interface ResNet18Options {
  /** Input channels: 3 for CIFAR, 1 for (Fashion-)MNIST; the stem follows the data. */
  readonly inChannels: number;
  /** Width of the first stage; stages are width x [1, 2, 4, 8]. 64 is ResNet-18. */
  readonly width?: number;
  /** The normalisation layer (MoCo's split BatchNorm); default BatchNorm. */
  readonly norm?: NormFactory;
}

/**
 * ResNet-18 with the CIFAR stem of the paper's code: a 3x3 stride-1 conv, no
 * max-pool; four stages of two BasicBlocks (strides 1, 2, 2, 2); global average
 * pooling. Outputs features [N, 8 * width]; no classifier (heads are separate).
 * Parameter names follow torchvision's state_dict (conv1, bn1, layer1.0.conv1, ...).
 */
export class ResNet18 extends Module {
  readonly featureDim: number;
  readonly conv1: Conv2d;
  readonly bn1: Module;
  readonly #stages: Sequential[];

  constructor(options: ResNet18Options) {
    super();
    const width = options.width ?? 64;
    this.conv1 = this.child('conv1', conv(options.inChannels, width, 3, 1, 1));
    const norm = options.norm ?? batchNorm;
    this.bn1 = this.child('bn1', norm(width));
    const widths = [width, 2 * width, 4 * width, 8 * width];
    let inC = width;
    this.#stages = widths.map((w, i) => {
      const stride = i === 0 ? 1 : 2;
      const stage = this.child(`layer${i + 1}`, new Sequential(new BasicBlock(inC, w, stride, norm), new BasicBlock(w, w, 1, norm)));
      inC = w;
      return stage;
    });
    this.featureDim = 8 * width;
  }

  /** The last convolutional feature map, before pooling: [N, 8w, H/8, W/8] (what Grad-CAM differentiates). */
  featureMap(ctx: ModuleContext, x: Tensor): Tensor {
    let h = ctx.run('bn1', this.bn1, ctx.run('conv1', this.conv1, x)).relu(); // [N, w, H, W]
    this.#stages.forEach((stage, i) => (h = ctx.run(`layer${i + 1}`, stage, h))); // [N, 8w, H/8, W/8]
    return h;
  }

  forward(ctx: ModuleContext, x: Tensor): Tensor {
    return this.featureMap(ctx, x).mean([2, 3]); // global average pool: [N, 8w]
  }
}
