import type { AttrsOf, DType, OpName, OpNode, Shape, TensorType } from '@ltssl/core';
import type { Tensor } from '@tensorflow/tfjs-core';
import type { Perm } from '../layout/perm.js';

/** Where an input of a node is held when the layout pass reaches the node. */
export interface HeldInput {
  readonly type: TensorType;
  readonly perm: Perm;
}

/** What a kernel's layout rule sees: the node, where its inputs are, what its consumers would like. */
export interface LayoutQuery<K extends OpName> {
  readonly node: OpNode<K>;
  readonly inputs: readonly HeldInput[];
  /** The layout the node's consumers would take without a transpose, if they said. */
  readonly want: Perm | undefined;
}

/** A kernel's decision: the layout it needs each input in, its output layout, its attributes in physical axes. */
export interface LayoutChoice<K extends OpName> {
  /** One per input; a rank above the input's means broadcast padding (leading size-1 axes). */
  readonly inputs: readonly Perm[];
  readonly output: Perm;
  readonly attrs: AttrsOf<K>;
}

/** Engine facts a kernel may depend on. */
export interface KernelContext {
  /**
   * The engine is TensorFlow's native library (tfjs-node, tfjs-node-gpu), fast
   * at every kernel tfjs has. False on the wasm backend, where kernels avoid
   * what it lacks or runs slowly: Conv2DBackpropFilter (missing),
   * Conv2DBackpropInput (slow) and matmul with transpose flags (slow) are
   * built from fast forward convolutions and plain products instead.
   */
  readonly nativeKernels: boolean;
}

/** The node's output in physical terms: its dtype and its shape in the chosen layout. */
export interface PhysicalType {
  readonly dtype: DType;
  readonly shape: Shape;
}

/**
 * One primitive op on TensorFlow.js. `layout` is asked once at compile time;
 * `run` then gets its inputs in the layouts it asked for and the physical
 * attributes it returned, and returns a new tensor (or an input unchanged).
 */
export interface TfjsKernel<K extends OpName> {
  layout(query: LayoutQuery<K>): LayoutChoice<K>;
  /** The layouts this op would like its inputs in, given the one wanted of its output (undefined: no wish). */
  demand(node: OpNode<K>, inputs: readonly TensorType[], want: Perm | undefined): readonly (Perm | undefined)[];
  run(inputs: readonly Tensor[], attrs: AttrsOf<K>, out: PhysicalType, ctx: KernelContext): Tensor;
}
