import { Graph, type NodeId } from '../ir/graph.js';
import type { DType } from '../ir/dtype.js';
import type { Shape } from '../ir/shape.js';
import type { AttrsOf, OpName } from '../ops/registry.js';
import type { Program, ProgramInput, ProgramOutput, StateInit, StateSlot, StateUpdate } from './program.js';
import { validateProgram } from './validate-program.js';

export interface StateSlotSpec {
  readonly name: string;
  readonly dtype: DType;
  readonly shape: Shape;
  readonly init: StateInit;
  readonly trainable: boolean;
}

/**
 * Builds a Program node by node. The tracing API (Tensor, Model) sits on top of
 * it; tests and op cases use it directly.
 */
export class ProgramBuilder {
  readonly graph = new Graph();
  readonly #inputs: ProgramInput[] = [];
  readonly #state: StateSlot[] = [];
  readonly #updates: StateUpdate[] = [];
  readonly #outputs: ProgramOutput[] = [];

  constructor(readonly name: string) {}

  input(name: string, dtype: DType, shape: Shape): NodeId {
    const node = this.graph.addInput(name, { dtype, shape });
    this.#inputs.push({ name, dtype, shape: node.shape, node: node.id });
    return node.id;
  }

  state(spec: StateSlotSpec): NodeId {
    const node = this.graph.addState(spec.name, spec);
    this.#state.push({ ...spec, shape: node.shape, node: node.id });
    return node.id;
  }

  op<K extends OpName>(op: K, inputs: readonly NodeId[], attrs: AttrsOf<K>, label?: string): NodeId {
    return this.graph.addOp(op, inputs, attrs, label).id;
  }

  /** slot <- node once the step has run. */
  update(slot: string, node: NodeId): void {
    this.#updates.push({ slot, node });
  }

  output(name: string, node: NodeId): void {
    this.#outputs.push({ name, node });
  }

  /** Validates and freezes the Program; the builder must not be used afterwards. */
  build(): Program {
    const program: Program = {
      name: this.name,
      graph: this.graph,
      inputs: this.#inputs,
      state: this.#state,
      updates: this.#updates,
      outputs: this.#outputs,
    };
    validateProgram(program);
    this.graph.freeze();
    return Object.freeze(program);
  }
}
