import { liveNodes, sizeOf, type AttrsOf, type GraphNode, type NodeId, type OpName, type OpNode, type Program } from '@ltssl/core';
import type { KernelTable } from '../kernels/registry.js';
import type { TfjsKernel } from '../kernels/kernel.js';
import type { ConvertStep, LayoutPlan, Step, ValueId } from './layout-plan.js';
import { conversion, conversionCost, identity, permKey, samePerm, type Perm } from './perm.js';

/** Steps on constants only run once at compile time, unless their result is this large (elements). */
const MAX_FOLDED_ELEMENTS = 1 << 20;

/** Rounds of "store each slot in the layout its update comes out in" before taking the cheapest plan. */
const SLOT_ROUNDS = 4;

/**
 * The layout pass. The IR is NCHW and tfjs's convolutions are NHWC, so each
 * value is held in the layout that avoids transposes: convolutions fix theirs
 * (NHWC activations, HWIO filters), element-wise ops follow their inputs or
 * what their consumers want, reductions, slices and pads work in any layout
 * with remapped axes, transpose ops only relabel. A conversion is inserted
 * only where a consumer needs another layout, once per value and layout.
 * Feeds arrive and fetches leave in the IR's layout; a state slot is stored
 * in the layout its update is produced in, so committing needs no transpose.
 *
 * `fixedSlots` are slots already stored by a shared executable: their layout
 * is kept.
 */
export function planLayouts(program: Program, kernels: KernelTable, fixedSlots: ReadonlyMap<string, Perm>): LayoutPlan {
  const graph = program.graph;
  const live = liveNodes(graph, [...program.outputs.map((o) => o.node), ...program.updates.map((u) => u.node)]);
  const wants = demands(program, live, kernels, fixedSlots);
  const slotPerms = new Map<string, Perm>();
  for (const slot of program.state) {
    slotPerms.set(slot.name, fixedSlots.get(slot.name) ?? usable(wants.get(slot.node), slot.shape.length) ?? identity(slot.shape.length));
  }
  let best: { plan: LayoutPlan; cost: number } | undefined;
  for (let round = 0; round < SLOT_ROUNDS; round++) {
    const { plan, cost, held } = assign(program, live, kernels, wants, slotPerms);
    if (!best || cost < best.cost) best = { plan, cost };
    let changed = false;
    for (const update of program.updates) {
      if (fixedSlots.has(update.slot)) continue;
      const produced = held.get(update.node)!;
      if (!samePerm(produced, slotPerms.get(update.slot)!)) {
        slotPerms.set(update.slot, produced);
        changed = true;
      }
    }
    if (!changed) break;
  }
  return best!.plan;
}

/** Elements a plan's run transposes: what the layout pass minimises. */
export function transposedElements(plan: LayoutPlan): number {
  return plan.steps.reduce((n, s) => n + (s.kind === 'convert' ? s.elements : 0), 0);
}

function usable(perm: Perm | undefined, rank: number): Perm | undefined {
  return perm && perm.length === rank ? perm : undefined;
}

function kernelOf(kernels: KernelTable, op: OpName): TfjsKernel<OpName> {
  return kernels[op] as TfjsKernel<OpName>;
}

/**
 * What layout each node's consumers would take without a transpose, walking
 * from the consumers back (the last consumer's wish wins). Outputs want the
 * IR's layout; an update wants its slot's layout, and a slot what its readers
 * want, so a second walk carries those wishes through the update's producers.
 */
function demands(program: Program, live: readonly NodeId[], kernels: KernelTable, fixedSlots: ReadonlyMap<string, Perm>): Map<NodeId, Perm> {
  const graph = program.graph;
  const wants = new Map<NodeId, Perm>();
  for (const o of program.outputs) wants.set(o.node, identity(graph.node(o.node).shape.length));
  const walk = (): void => {
    for (let k = live.length - 1; k >= 0; k--) {
      const node = graph.node(live[k]!);
      if (node.kind !== 'op') continue;
      const asked = kernelOf(kernels, node.op).demand(node as OpNode<OpName>, node.inputs.map((i) => graph.node(i)), wants.get(node.id));
      node.inputs.forEach((input, i) => {
        const perm = asked[i];
        if (perm && !wants.has(input)) wants.set(input, perm);
      });
    }
  };
  walk();
  const slotNode = new Map(program.state.map((s) => [s.name, s.node]));
  for (const u of program.updates) {
    const perm = fixedSlots.get(u.slot) ?? wants.get(slotNode.get(u.slot)!);
    if (perm && !wants.has(u.node)) wants.set(u.node, perm);
  }
  walk();
  return wants;
}

/** One forward walk: every live node gets a layout, conversions where a consumer needs another. */
function assign(
  program: Program,
  live: readonly NodeId[],
  kernels: KernelTable,
  wants: ReadonlyMap<NodeId, Perm>,
  slotPerms: ReadonlyMap<string, Perm>,
): { plan: LayoutPlan; cost: number; held: Map<NodeId, Perm> } {
  const graph = program.graph;
  const held = new Map<NodeId, Perm>();
  const values = new Map<string, ValueId>();
  const folded = new Set<ValueId>();
  const constantSteps: Step[] = [];
  const steps: Step[] = [];
  const feeds: { name: string; value: ValueId }[] = [];
  const stateReads: { slot: string; value: ValueId }[] = [];
  let count = 0;
  let cost = 0;

  const define = (id: NodeId, perm: Perm): ValueId => {
    const value = count++;
    values.set(`${id}:${permKey(perm)}`, value);
    return value;
  };
  const place = (step: Step, inputs: readonly ValueId[], elements: number): void => {
    if (inputs.every((v) => folded.has(v)) && elements <= MAX_FOLDED_ELEMENTS) {
      folded.add(step.out);
      constantSteps.push(step);
    } else steps.push(step);
  };
  /** The node's value in `perm`, converting (once) from where it is held. */
  const need = (id: NodeId, perm: Perm): ValueId => {
    const existing = values.get(`${id}:${permKey(perm)}`);
    if (existing !== undefined) return existing;
    const node = graph.node(id);
    const from = held.get(id)!;
    const source = values.get(`${id}:${permKey(from)}`)!;
    const out = define(id, perm);
    const elements = conversionCost(node.shape, from, perm);
    const c = conversion(node.shape, from, perm);
    const step: ConvertStep = { kind: 'convert', node: id, from, to: perm, conversion: c, inputs: [source], type: { dtype: node.dtype, shape: c.shape }, out, elements };
    place(step, [source], sizeOf(node.shape));
    if (!folded.has(out)) cost += elements;
    return out;
  };

  for (const id of live) {
    const node: GraphNode = graph.node(id);
    if (node.kind === 'input') {
      held.set(id, identity(node.shape.length));
      feeds.push({ name: node.name, value: define(id, held.get(id)!) });
    } else if (node.kind === 'state') {
      held.set(id, slotPerms.get(node.name)!);
      stateReads.push({ slot: node.name, value: define(id, held.get(id)!) });
    } else {
      const kernel = kernelOf(kernels, node.op);
      const inputs = node.inputs.map((i) => ({ type: graph.node(i), perm: held.get(i)! }));
      const choice = kernel.layout({ node: node as OpNode<OpName>, inputs, want: wants.get(id) });
      const inputValues = node.inputs.map((i, k) => need(i, choice.inputs[k]!));
      held.set(id, choice.output);
      const out = define(id, choice.output);
      const type = { dtype: node.dtype, shape: choice.output.map((a) => node.shape[a]!) };
      const step: Step = { kind: 'kernel', node: id, op: node.op, kernel, inputs: inputValues, attrs: choice.attrs as AttrsOf<OpName>, type, out };
      place(step, inputValues, sizeOf(node.shape));
    }
  }
  const outputs = program.outputs.map((o) => ({ name: o.name, value: need(o.node, identity(graph.node(o.node).shape.length)) }));
  const updates = program.updates.map((u) => ({ slot: u.slot, value: need(u.node, slotPerms.get(u.slot)!) }));
  const plan: LayoutPlan = { valueCount: count, feeds, stateReads, constantSteps, steps, outputs, updates, slotPerms: new Map(slotPerms) };
  return { plan, cost, held };
}
