import type { OpName } from '@ltssl/core';
import type { Kernel } from './kernel.js';

/**
 * The WGSL expression of an element-wise op, from its operands' values (WGSL
 * names) and their type: what both its own kernel and a fused chain
 * (fused-elementwise.ts) compute, written once per op.
 */
export interface ElementwiseDef {
  readonly arity: 1 | 2;
  readonly expr: (args: readonly string[], type: 'f32' | 'i32') => string;
}

/** A kernel that is one element-wise expression, so the fusion planner may inline it into a chain. */
export type ElementwiseKernel<K extends OpName> = Kernel<K> & { readonly elementwise: ElementwiseDef };

export function withElementwise<K extends OpName>(kernel: Kernel<K>, def: ElementwiseDef): ElementwiseKernel<K> {
  return Object.assign(kernel, { elementwise: def });
}

/** The element-wise expression of a kernel, or undefined when the kernel is not element-wise. */
export function elementwiseOf(kernel: unknown): ElementwiseDef | undefined {
  return typeof kernel === 'function' && 'elementwise' in kernel ? (kernel as ElementwiseKernel<OpName>).elementwise : undefined;
}
