import type { AttrsOf, NodeId, OpName } from '@ltssl/core';
import type { PhysicalType, TfjsKernel } from '../kernels/kernel.js';
import type { Conversion, Perm } from './perm.js';

/** Values are numbered; a run keeps one tensor per number (a node in one layout). */
export type ValueId = number;

/** Runs one primitive's kernel on physical tensors. */
export interface KernelStep {
  readonly kind: 'kernel';
  readonly node: NodeId;
  readonly op: OpName;
  readonly kernel: TfjsKernel<OpName>;
  readonly inputs: readonly ValueId[];
  readonly attrs: AttrsOf<OpName>;
  readonly type: PhysicalType;
  readonly out: ValueId;
}

/** Brings a node's value into another layout: a free reshape or one transpose. */
export interface ConvertStep {
  readonly kind: 'convert';
  readonly node: NodeId;
  readonly from: Perm;
  readonly to: Perm;
  readonly conversion: Conversion;
  readonly inputs: readonly [ValueId];
  readonly type: PhysicalType;
  readonly out: ValueId;
  /** Elements moved per run (0 for a reshape). */
  readonly elements: number;
}

export type Step = KernelStep | ConvertStep;

/**
 * A Program laid out for tfjs: which layout each value is held in, and the
 * steps of a run in order. Steps whose inputs are all constants run once at
 * compile time (`constantSteps`); the rest every run.
 */
export interface LayoutPlan {
  readonly valueCount: number;
  /** Fed in the IR's layout. */
  readonly feeds: readonly { readonly name: string; readonly value: ValueId }[];
  /** Read in the slot's storage layout. */
  readonly stateReads: readonly { readonly slot: string; readonly value: ValueId }[];
  readonly constantSteps: readonly Step[];
  readonly steps: readonly Step[];
  /** In the IR's layout, as fetched. */
  readonly outputs: readonly { readonly name: string; readonly value: ValueId }[];
  /** In the slot's storage layout, committed after the run. */
  readonly updates: readonly { readonly slot: string; readonly value: ValueId }[];
  /** The layout each slot is stored in. */
  readonly slotPerms: ReadonlyMap<string, Perm>;
}
