import { ERROR_CODES, LtsslError } from '../errors.js';
import { isVariadic, type Attrs } from './op-def.js';
import { isOpName, opDef, type AttrsOf, type OpName } from '../ops/registry.js';
import { formatType, type TensorType } from './tensor-type.js';
import type { DType } from './dtype.js';
import type { Shape } from './shape.js';

export type NodeId = number;

interface NodeBase {
  readonly id: NodeId;
  readonly dtype: DType;
  readonly shape: Shape;
}

/** A value fed by the caller on every run (a batch, the learning rate, random draws). */
export interface InputNode extends NodeBase {
  readonly kind: 'input';
  readonly name: string;
}

/** The pre-step value of a state slot (a weight, a momentum, a running statistic). */
export interface StateNode extends NodeBase {
  readonly kind: 'state';
  readonly name: string;
}

/** One primitive op applied to earlier nodes. */
export interface OpNode<K extends OpName = OpName> extends NodeBase {
  readonly kind: 'op';
  readonly op: K;
  readonly inputs: readonly NodeId[];
  /** Attributes in normal form (see OpDef.infer). */
  readonly attrs: AttrsOf<K>;
  /** Where the node came from (a module path such as 'layer1.0.conv1'), for errors. */
  readonly label?: string;
}

export type GraphNode = InputNode | StateNode | OpNode;

/** The error an op's rule raises, naming the op, its input types and the rule. */
export class IrValidationError extends LtsslError {
  constructor(
    readonly op: string,
    readonly inputTypes: readonly TensorType[],
    readonly rule: string,
    readonly label?: string,
  ) {
    const where = label ? ` at '${label}'` : '';
    super(ERROR_CODES.irInvalid, `${op}(${inputTypes.map(formatType).join(', ')})${where}: ${rule}`);
    this.name = 'IrValidationError';
  }
}

/**
 * A graph of primitive ops with static types. Nodes are appended after their
 * inputs, so the node list is already a topological order; a node never changes.
 */
export class Graph {
  readonly #nodes: GraphNode[] = [];
  #frozen = false;

  get nodes(): readonly GraphNode[] {
    return this.#nodes;
  }

  node(id: NodeId): GraphNode {
    const node = this.#nodes[id];
    if (node === undefined) throw new LtsslError(ERROR_CODES.programInvalid, `node ${id} does not exist in this graph (it has ${this.#nodes.length} nodes)`);
    return node;
  }

  addInput(name: string, type: TensorType): InputNode {
    const node: InputNode = { kind: 'input', id: this.#nodes.length, name, dtype: type.dtype, shape: [...type.shape] };
    this.#push(node);
    return node;
  }

  addState(name: string, type: TensorType): StateNode {
    const node: StateNode = { kind: 'state', id: this.#nodes.length, name, dtype: type.dtype, shape: [...type.shape] };
    this.#push(node);
    return node;
  }

  /** Appends an op after checking its inputs and attributes against the op's rule. */
  addOp<K extends OpName>(op: K, inputs: readonly NodeId[], attrs: AttrsOf<K>, label?: string): OpNode<K> {
    const types = inputs.map((id) => this.node(id));
    const { type, attrs: normal } = inferOp(op, types, attrs as Attrs, label);
    const node: OpNode<K> = {
      kind: 'op',
      id: this.#nodes.length,
      op,
      inputs: [...inputs],
      attrs: normal as AttrsOf<K>,
      dtype: type.dtype,
      shape: [...type.shape],
      ...(label === undefined ? {} : { label }),
    };
    this.#push(node as unknown as OpNode);
    return node;
  }

  /** Forbids further changes: a built Program's graph is immutable. */
  freeze(): this {
    this.#frozen = true;
    Object.freeze(this.#nodes);
    return this;
  }

  #push(node: GraphNode): void {
    if (this.#frozen) throw new LtsslError(ERROR_CODES.programInvalid, `this graph belongs to a built Program and cannot change; trace a new Program`);
    this.#nodes.push(Object.freeze(node));
  }
}

/**
 * Runs an op's rule on input types: arity, dtypes, shapes, attributes. Returns
 * the output type and normal-form attributes, or throws IrValidationError.
 */
export function inferOp(op: string, inputs: readonly TensorType[], attrs: Attrs, label?: string): { type: TensorType; attrs: Attrs } {
  const fail = (rule: string): never => {
    throw new IrValidationError(op, inputs, rule, label);
  };
  if (!isOpName(op)) fail(`unknown op '${op}'; the op set is listed in docs/ops.md`);
  const def = opDef(op as OpName);
  const variadic = isVariadic(def);
  const arityOk = variadic ? inputs.length >= 1 : inputs.length === def.inputs.length;
  if (!arityOk) {
    fail(`takes ${variadic ? 'one or more inputs' : `${def.inputs.length} input(s) (${def.inputs.join(', ')})`}, got ${inputs.length}`);
  }
  if (typeof attrs !== 'object' || attrs === null) fail(`attributes must be an object`);
  const known = Object.keys(def.doc.attrs);
  const unknown = Object.keys(attrs).filter((k) => !known.includes(k));
  if (unknown.length > 0) fail(`unknown attribute(s) ${unknown.map((k) => `'${k}'`).join(', ')}; ${def.name} takes ${known.length ? known.join(', ') : 'none'}`);
  const missing = known.filter((k) => !(k in attrs));
  if (missing.length > 0) fail(`missing attribute(s) ${missing.map((k) => `'${k}'`).join(', ')}`);
  return def.infer(inputs, attrs, fail);
}
