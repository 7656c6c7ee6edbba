import type { NodeId, Program } from '@ltssl/core';
import type { KernelPlan } from '../kernels/kernel.js';
import type { FusedGroup } from './fusion-plan.js';

/**
 * One thing a run does: a graph node (a feed, a state slot, an op's kernel) or
 * a fused group of element-wise nodes computed by one kernel. A dispatch's
 * `input` refs index `reads`, its `output` refs index `writes`.
 */
export interface Unit {
  /** The node it is named by in labels and errors: the node itself, or a group's last member. */
  readonly id: NodeId;
  readonly reads: readonly NodeId[];
  readonly writes: readonly NodeId[];
  readonly work: { readonly kind: 'input' } | { readonly kind: 'state' } | KernelPlan;
  /** A fused group's nodes, in graph order; values not in `writes` never reach memory. */
  readonly members?: readonly NodeId[];
}

/** A binary min-heap of unit indices by key: Kahn's order that stays closest to the graph's own. */
class MinHeap {
  readonly #items: { key: number; value: number }[] = [];
  get size(): number {
    return this.#items.length;
  }
  push(key: number, value: number): void {
    const a = this.#items;
    a.push({ key, value });
    for (let i = a.length - 1; i > 0; ) {
      const parent = (i - 1) >> 1;
      if (a[parent]!.key <= a[i]!.key) break;
      [a[parent], a[i]] = [a[i]!, a[parent]!];
      i = parent;
    }
  }
  pop(): number {
    const a = this.#items;
    const top = a[0]!;
    const last = a.pop()!;
    if (a.length > 0) {
      a[0] = last;
      for (let i = 0; ; ) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < a.length && a[l]!.key < a[m]!.key) m = l;
        if (r < a.length && a[r]!.key < a[m]!.key) m = r;
        if (m === i) break;
        [a[m], a[i]] = [a[i]!, a[m]!];
        i = m;
      }
    }
    return top.value;
  }
}

/**
 * The program's units in an order a run can execute them: every node outside
 * the fused groups is its own unit, each group one unit. A group runs once all
 * it reads exists, which may be after nodes that follow its first member in
 * the graph; among the ready units the one earliest in the graph goes first,
 * so without groups the order is the graph's.
 */
export function buildUnits(program: Program, kernels: ReadonlyMap<NodeId, KernelPlan>, groups: readonly FusedGroup[]): Unit[] {
  const graph = program.graph;
  const units: Unit[] = [];
  const unitOf = new Map<NodeId, number>();
  const inGroup = new Map<NodeId, FusedGroup>();
  for (const g of groups) for (const m of g.members) inGroup.set(m, g);
  const placed = new Set<FusedGroup>();
  for (const node of graph.nodes) {
    const group = inGroup.get(node.id);
    if (group) {
      if (placed.has(group)) continue;
      placed.add(group);
      const index = units.length;
      units.push({ id: group.members.at(-1)!, reads: group.reads, writes: group.writes, work: group.plan, members: group.members });
      for (const m of group.members) unitOf.set(m, index);
      continue;
    }
    unitOf.set(node.id, units.length);
    if (node.kind === 'input') units.push({ id: node.id, reads: [], writes: [node.id], work: { kind: 'input' } });
    else if (node.kind === 'state') units.push({ id: node.id, reads: [], writes: [node.id], work: { kind: 'state' } });
    else units.push({ id: node.id, reads: node.inputs, writes: [node.id], work: kernels.get(node.id)! });
  }
  // Kahn's algorithm over the units, keyed by the node each is named by.
  const waiting = units.map(() => 0);
  const next: number[][] = units.map(() => []);
  units.forEach((u, i) => {
    const deps = new Set(u.reads.map((r) => unitOf.get(r)!));
    deps.delete(i);
    waiting[i] = deps.size;
    for (const d of deps) next[d]!.push(i);
  });
  const ready = new MinHeap();
  units.forEach((u, i) => waiting[i] === 0 && ready.push(u.id, i));
  const order: Unit[] = [];
  while (ready.size > 0) {
    const i = ready.pop();
    order.push(units[i]!);
    for (const j of next[i]!) if (--waiting[j]! === 0) ready.push(units[j]!.id, j);
  }
  if (order.length !== units.length) throw new Error(`webgpu fusion planner: the fused groups of program '${program.name}' depend on each other in a cycle`);
  return order;
}
