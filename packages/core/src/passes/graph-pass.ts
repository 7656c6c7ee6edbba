import { Graph, type GraphNode, type NodeId, type OpNode } from '../ir/graph.js';
import { liveNodes } from '../ir/live-nodes.js';
import type { AttrsOf, OpName } from '../ops/registry.js';
import type { Program } from '../program/program.js';
import { validateProgram } from '../program/validate-program.js';

/**
 * A rewrite of a Program into one that computes the same outputs and state
 * updates (same signature: inputs, slots, outputs, updates by name), usually
 * with fewer nodes. Passes run on every traced Program (Tracer.build), so
 * every driver gets the smaller graph.
 */
export interface GraphPass {
  /** For tests and logs: 'common-subexpressions'. */
  readonly name: string;
  run(program: Program): Program;
}

/** What a pass's visitor sees while the new graph is built. */
export interface Rewriter {
  /** A node of the new graph. */
  node(id: NodeId): GraphNode;
  /** Appends an op to the new graph (its rule re-checked) and returns its id. */
  add<K extends OpName>(op: K, inputs: readonly NodeId[], attrs: AttrsOf<K>, label?: string): NodeId;
}

/**
 * The node that stands for `node` in the new graph: `inputs` are its inputs'
 * new ids; return an existing node to replace it, or `r.add(...)` new ones.
 */
export type OpVisitor = (node: OpNode, inputs: readonly NodeId[], r: Rewriter) => NodeId;

/**
 * Builds a new Program from `program`: input and state nodes copied (every
 * declaration keeps a node, used or not), each op node that an output or an
 * update needs handed to `visit` in topological order, and the signature
 * mapped to the new ids. Ops nothing needs are dropped, so every pass also
 * removes dead code. The result is validated and frozen like a built Program.
 */
export function rewriteProgram(program: Program, visit: OpVisitor, options: { readonly dropUpdate?: (slotNode: NodeId, valueNode: NodeId) => boolean } = {}): Program {
  const old = program.graph;
  const graph = new Graph();
  const map = new Map<NodeId, NodeId>();
  const rewriter: Rewriter = {
    node: (id) => graph.node(id),
    add: (op, inputs, attrs, label) => graph.addOp(op, inputs, attrs, label).id,
  };
  const live = new Set(liveNodes(old, [...program.outputs.map((o) => o.node), ...program.updates.map((u) => u.node)]));
  for (const node of old.nodes) {
    if (node.kind === 'input') map.set(node.id, graph.addInput(node.name, node).id);
    else if (node.kind === 'state') map.set(node.id, graph.addState(node.name, node).id);
    else if (live.has(node.id)) {
      map.set(
        node.id,
        visit(
          node,
          node.inputs.map((i) => map.get(i)!),
          rewriter,
        ),
      );
    }
  }
  const at = (id: NodeId): NodeId => map.get(id)!;
  const slotNode = new Map(program.state.map((s) => [s.name, at(s.node)]));
  const rewritten: Program = {
    name: program.name,
    graph,
    inputs: program.inputs.map((i) => ({ ...i, node: at(i.node) })),
    state: program.state.map((s) => ({ ...s, node: at(s.node) })),
    updates: program.updates.map((u) => ({ slot: u.slot, node: at(u.node) })).filter((u) => !options.dropUpdate?.(slotNode.get(u.slot)!, u.node)),
    outputs: program.outputs.map((o) => ({ name: o.name, node: at(o.node) })),
  };
  // A program whose every update was an identity and that has no outputs would be refused; keep it as it was.
  if (rewritten.outputs.length === 0 && rewritten.updates.length === 0) return program;
  validateProgram(rewritten);
  graph.freeze();
  return Object.freeze(rewritten);
}

/** The op copied as it is (inputs mapped): what a visitor returns for a node it leaves alone. */
export function copyOp(node: OpNode, inputs: readonly NodeId[], r: Rewriter): NodeId {
  return r.add(node.op, inputs, node.attrs as AttrsOf<OpName>, node.label);
}

/** Op nodes of a Program that its outputs and updates need: what a pass makes fewer. */
export function liveOpCount(program: Program): number {
  return liveNodes(program.graph, [...program.outputs.map((o) => o.node), ...program.updates.map((u) => u.node)]).filter((id) => program.graph.node(id).kind === 'op').length;
}
