import type { OpName } from '@ltssl/core';
import type { Tensor } from '@tensorflow/tfjs-core';
import type { TfjsKernel } from './kernel.js';
import { elementwiseLayout, passDemand } from './layout-rules.js';

/** A one-input element-wise op: works in whatever layout its input is held. */
export function unaryKernel<K extends OpName>(fn: (x: Tensor) => Tensor): TfjsKernel<K> {
  return { layout: elementwiseLayout, demand: passDemand(), run: ([x]) => fn(x!) };
}

/**
 * A broadcasting two-input op: both inputs come in the output's layout at the
 * output's rank, so tfjs's NumPy broadcasting lines up on physical axes.
 */
export function binaryKernel<K extends OpName>(fn: (a: Tensor, b: Tensor) => Tensor): TfjsKernel<K> {
  return { layout: elementwiseLayout, demand: passDemand(), run: ([a, b]) => fn(a!, b!) };
}
