import { Linear, ReLU, Sequential } from '@ltssl/core';

/** State slots of a method's projection head are named 'projector.' + its state_dict names. */
export const PROJECTOR_PREFIX = 'projector.';

/**
 * The projection head g of SimCLR, SupCon and MoCo v2: Linear-ReLU-Linear,
 * with biases and no BatchNorm (SimCLR, Chen et al. 2020, Sec. 2.1; MoCo v2's
 * `fc = Sequential(Linear(dim_mlp, dim_mlp), ReLU(), fc)`; SupContrast's 'mlp'
 * head). State names follow nn.Sequential: 0.weight, 0.bias, 2.weight, 2.bias.
 * The loss is computed on its output; the probes evaluate the encoder's
 * features, before the head.
 */
export function contrastiveHead(inDim: number, hiddenDim: number, outDim: number): Sequential {
  return new Sequential(new Linear(inDim, hiddenDim), new ReLU(), new Linear(hiddenDim, outDim));
}
