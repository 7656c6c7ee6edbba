import { ResNet18, SmallCnn, type Module, type ModuleContext, type NormFactory, type Tensor } from '@ltssl/core';

/** The encoders of the study: the paper's ResNet-18 (CIFAR stem), and a small CNN for CPU-sized runs. */
export const ENCODER_ARCHS = ['small-cnn', 'resnet18'] as const;
export type EncoderArch = (typeof ENCODER_ARCHS)[number];

export interface EncoderSpec {
  readonly arch: EncoderArch;
  /** First-stage width: ResNet-18 is 64; the small CNN's default is 32. */
  readonly width: number;
  /** Input channels: the stem follows the data (1 for Fashion-MNIST, 3 for CIFAR). */
  readonly inChannels: number;
}

/** State slots of the encoder are named 'encoder.' + its PyTorch state_dict names. */
export const ENCODER_PREFIX = 'encoder.';

/** An encoder: features [N, D] from forward, and the last convolutional map before pooling. */
export type Encoder = Module & {
  readonly featureDim: number;
  featureMap(ctx: ModuleContext, x: Tensor): Tensor;
};

export function createEncoder(spec: EncoderSpec, norm?: NormFactory): Encoder {
  const options = { inChannels: spec.inChannels, width: spec.width, ...(norm ? { norm } : {}) };
  return spec.arch === 'resnet18' ? new ResNet18(options) : new SmallCnn(options);
}
