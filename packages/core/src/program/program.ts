import type { DType } from '../ir/dtype.js';
import type { Graph, NodeId } from '../ir/graph.js';
import type { Shape } from '../ir/shape.js';

/** A value the caller feeds on every run. */
export interface ProgramInput {
  readonly name: string;
  readonly dtype: DType;
  readonly shape: Shape;
  readonly node: NodeId;
}

/** How a slot starts: one number everywhere, or every element row-major. */
export type StateInit =
  | { readonly kind: 'fill'; readonly value: number }
  | { readonly kind: 'values'; readonly values: ArrayLike<number> };

/**
 * A value that lives on the device between runs: weights, momenta, BatchNorm
 * running statistics, MoCo's queue. `trainable` marks what autodiff and the
 * optimizer treat as parameters.
 */
export interface StateSlot {
  readonly name: string;
  readonly dtype: DType;
  readonly shape: Shape;
  readonly init: StateInit;
  readonly trainable: boolean;
  /** The node that reads the slot's pre-step value. */
  readonly node: NodeId;
}

/**
 * slot <- node after the step. Every update reads pre-step values (the slot
 * nodes), and all updates commit together once the step has run.
 */
export interface StateUpdate {
  readonly slot: string;
  readonly node: NodeId;
}

export interface ProgramOutput {
  readonly name: string;
  readonly node: NodeId;
}

/** A graph plus its signature: what a driver compiles and runs. */
export interface Program {
  /** For errors and logs ('simsiam-train-step'). */
  readonly name: string;
  readonly graph: Graph;
  readonly inputs: readonly ProgramInput[];
  readonly state: readonly StateSlot[];
  readonly updates: readonly StateUpdate[];
  readonly outputs: readonly ProgramOutput[];
}
