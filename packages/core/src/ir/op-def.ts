import type { TensorType } from './tensor-type.js';

/** Attribute values are plain JSON data, so programs and op cases serialise as they are. */
export type AttrValue = number | boolean | string | readonly number[] | readonly (readonly number[])[];
export type Attrs = { readonly [name: string]: AttrValue };

/** One line per item of docs/ops.md; written next to the rule it documents. */
export interface OpDoc {
  readonly summary: string;
  /** Attribute name -> meaning and constraints. */
  readonly attrs: Readonly<Record<string, string>>;
  /** The output dtype and shape rule, in words. */
  readonly shape: string;
  /** The vector-Jacobian product in primitives, or 'not differentiable' with the reason. */
  readonly vjp: string;
}

/**
 * Reports a broken rule. The graph adds the op name, its input types and the
 * node's label, so an op only states the rule.
 */
export type Fail = (rule: string) => never;

/** The result of type inference: the output type and the attributes in normal form. */
export interface Inferred<A extends Attrs> {
  readonly type: TensorType;
  readonly attrs: A;
}

/**
 * A primitive op: its name, its inputs, and its static rule. Every driver
 * implements every OpDef of ops/registry.ts; core differentiates them.
 */
export interface OpDef<A extends Attrs = Attrs> {
  readonly name: string;
  /** Names of the inputs, in order. A trailing '...' name marks a variadic op (one or more). */
  readonly inputs: readonly string[];
  readonly doc: OpDoc;
  /**
   * Checks the input types and attributes and returns the output type and the
   * attributes in normal form (negative axes resolved, -1 in reshape resolved),
   * so drivers never re-derive them. Calls `fail` on any broken rule.
   */
  infer(inputs: readonly TensorType[], attrs: A, fail: Fail): Inferred<A>;
}

export function isVariadic(def: OpDef): boolean {
  return def.inputs.length > 0 && def.inputs[def.inputs.length - 1]!.startsWith('...');
}
