import { BatchNorm, Linear, ReLU, Sequential, type Module } from '@ltssl/core';

/**
 * The MLP of BYOL's projector and predictor, Barlow Twins' projector and
 * VICReg's expander: Linear-BatchNorm-ReLU blocks through `dims` (input,
 * hidden..., output), the last layer a plain Linear. `bias: false` is Barlow
 * Twins' (its Linear layers have none); BYOL and VICReg keep PyTorch's default.
 * State names follow nn.Sequential: 0.weight, 1.running_mean, ...
 */
export function batchNormMlp(dims: readonly number[], options: { readonly bias?: boolean } = {}): Sequential {
  if (dims.length < 2) throw new Error(`batchNormMlp: needs an input and an output width, got [${dims.join(', ')}]`);
  const bias = options.bias ?? true;
  const modules: Module[] = [];
  for (let i = 0; i + 2 < dims.length; i++) modules.push(new Linear(dims[i]!, dims[i + 1]!, bias), new BatchNorm(dims[i + 1]!), new ReLU());
  modules.push(new Linear(dims[dims.length - 2]!, dims[dims.length - 1]!, bias));
  return new Sequential(...modules);
}
