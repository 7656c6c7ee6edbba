import type { AttrsOf, OpName } from '../../ops/registry.js';
import type { Tensor } from '../../trace/tensor.js';

/** What a VJP rule sees: the output cotangent, the op's inputs and output, its attributes. */
export interface VjpContext<K extends OpName> {
  /** The cotangent of the output, shaped like `y`. */
  readonly g: Tensor;
  readonly inputs: readonly Tensor[];
  readonly y: Tensor;
  readonly attrs: AttrsOf<K>;
}

/**
 * The vector-Jacobian product of one primitive, written in primitives: one
 * cotangent per input, or undefined where no gradient flows.
 */
export type VjpRule<K extends OpName> = (ctx: VjpContext<K>) => readonly (Tensor | undefined)[];

/** An op autodiff never differentiates through, and why (see docs/ops.md). */
export interface NotDifferentiable {
  readonly notDifferentiable: string;
}
