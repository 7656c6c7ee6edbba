import type { AttrsOf, OpName, TensorType } from '@ltssl/core';
import type { RefTensor } from '../ref-tensor.js';

/**
 * One primitive op on the reference driver: inputs and normal-form attributes
 * in, a new tensor of the node's type out. Kernels never write their inputs.
 */
export type Kernel<K extends OpName> = (inputs: readonly RefTensor[], attrs: AttrsOf<K>, out: TensorType) => RefTensor;
