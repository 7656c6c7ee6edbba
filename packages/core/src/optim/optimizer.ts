import type { Tensor } from '../trace/tensor.js';
import type { Tracer } from '../trace/tracer.js';

/** A parameter at its pre-step value and its gradient, by state slot name. */
export interface ParameterGradient {
  readonly name: string;
  readonly value: Tensor;
  readonly grad: Tensor;
}

/**
 * An optimizer is a set of state updates inside the training Program: it
 * declares its own slots (momenta, moments, step count) and records
 * `param <- new value` for each parameter. The learning rate is a program input,
 * so schedules run on the host without recompiling.
 */
export interface Optimizer {
  step(tracer: Tracer, params: readonly ParameterGradient[], lr: Tensor): void;
}

/** The slot holding optimizer state `kind` for parameter `name`. */
export function optimizerSlot(name: string, kind: string): string {
  return `optimizer.${name}.${kind}`;
}
