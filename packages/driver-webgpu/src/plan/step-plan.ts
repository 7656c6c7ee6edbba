import { liveNodes, sizeOf, type NodeId, type Program } from '@ltssl/core';
import type { Dispatch, KernelPlan } from '../kernels/kernel.js';
import { PoolAllocator } from './pool-allocator.js';
import { bufferBytes, type Storage } from './storage.js';

/** One dispatch with its buffers resolved to storage. */
export interface PlannedDispatch {
  readonly node: NodeId;
  readonly dispatch: Dispatch;
  readonly buffers: readonly Storage[];
  /** Binding size of each storage buffer, bytes. */
  readonly bindingBytes: readonly number[];
}

export interface PlannedCopy {
  readonly from: Storage;
  readonly bytes: number;
}

/**
 * What one run computes for a set of fetched outputs: the dispatches in graph
 * order, the pool slots they need (reused by lifetime), which buffers are read
 * back, and the state commits done after the step.
 */
export interface StepPlan {
  readonly dispatches: readonly PlannedDispatch[];
  readonly slotBytes: readonly number[];
  readonly outputs: readonly (PlannedCopy & { readonly name: string })[];
  /** Copied into a temporary first: an update whose value is another updated slot's pre-step buffer. */
  readonly staged: readonly (PlannedCopy & { readonly slot: number })[];
  readonly commits: readonly { readonly slot: string; readonly from: Storage; readonly bytes: number }[];
  /** The feeds the live nodes read. */
  readonly feeds: readonly string[];
}

/**
 * Plans a run: live nodes of the fetched outputs and of every update, a pool
 * slot for each computed value from its producer to its last reader (aliases
 * such as reshape extend their source's life), scratch slots held only during
 * their node. Outputs and update values stay allocated to the end, where they
 * are copied out (fetches first, so a fetched slot shows its pre-step value,
 * then commits).
 */
export function planStep(program: Program, kernels: ReadonlyMap<NodeId, KernelPlan>, fetch: readonly string[]): StepPlan {
  const graph = program.graph;
  const outputs = program.outputs.filter((o) => fetch.includes(o.name));
  const roots = [...outputs.map((o) => o.node), ...program.updates.map((u) => u.node)];
  const order = liveNodes(graph, roots);
  const owner = new Map<NodeId, NodeId>();
  for (const id of order) {
    const node = graph.node(id);
    owner.set(id, node.kind === 'op' && kernels.get(id)!.kind === 'alias' ? owner.get(node.inputs[0]!)! : id);
  }
  const lastUse = new Map<NodeId, number>();
  order.forEach((id, position) => {
    const node = graph.node(id);
    if (node.kind === 'op') for (const input of node.inputs) lastUse.set(owner.get(input)!, position);
  });
  for (const root of roots) lastUse.set(owner.get(root)!, Infinity);

  const pool = new PoolAllocator();
  const storage = new Map<NodeId, Storage>();
  const dispatches: PlannedDispatch[] = [];
  const bytesOf = (id: NodeId): number => bufferBytes(sizeOf(graph.node(id).shape));
  const feeds = new Set<string>();
  order.forEach((id, position) => {
    const node = graph.node(id);
    if (node.kind === 'input') {
      feeds.add(node.name);
      storage.set(id, { kind: 'feed', name: node.name });
      return;
    }
    if (node.kind === 'state') {
      storage.set(id, { kind: 'state', name: node.name });
      return;
    }
    const plan = kernels.get(id)!;
    if (plan.kind === 'alias') {
      storage.set(id, storage.get(owner.get(id)!)!);
      return;
    }
    if (plan.kind === 'constant') {
      storage.set(id, { kind: 'constant', node: id });
      return;
    }
    const scratch = (plan.scratchBytes ?? []).map((bytes) => pool.allocate(bufferBytes(bytes / 4)));
    const out: Storage = { kind: 'pool', slot: pool.allocate(bytesOf(id)) };
    storage.set(id, out);
    for (const dispatch of plan.dispatches) {
      if (dispatch.workgroups.includes(0)) continue; // an empty tensor: nothing to compute
      const buffers = dispatch.buffers.map((ref): Storage => (ref.kind === 'output' ? out : ref.kind === 'input' ? storage.get(node.inputs[ref.index]!)! : { kind: 'pool', slot: scratch[ref.index]! }));
      const bindingBytes = dispatch.buffers.map((ref) =>
        ref.kind === 'output' ? bytesOf(id) : ref.kind === 'input' ? bytesOf(node.inputs[ref.index]!) : bufferBytes(plan.scratchBytes![ref.index]! / 4),
      );
      dispatches.push({ node: id, dispatch, buffers, bindingBytes });
    }
    for (const slot of scratch) pool.release(slot);
    // Inputs are released after the output was placed: a dispatch never reads and writes one buffer.
    const released = new Set<NodeId>();
    for (const input of [...node.inputs.map((i) => owner.get(i)!), id]) {
      const s = storage.get(input)!;
      if (s.kind === 'pool' && !released.has(input) && (lastUse.get(input) ?? position) <= position) {
        released.add(input);
        pool.release(s.slot);
      }
    }
  });

  const updated = new Set(program.updates.map((u) => u.slot));
  const staged: (PlannedCopy & { slot: number })[] = [];
  const commits: { slot: string; from: Storage; bytes: number }[] = [];
  for (const update of program.updates) {
    const from = storage.get(owner.get(update.node)!)!;
    const bytes = bytesOf(update.node);
    if (from.kind === 'state' && from.name === update.slot) continue; // slot <- its own value
    if (from.kind === 'state' && updated.has(from.name)) {
      const slot = pool.allocate(bytes);
      staged.push({ from, bytes, slot });
      commits.push({ slot: update.slot, from: { kind: 'pool', slot }, bytes });
    } else commits.push({ slot: update.slot, from, bytes });
  }
  return {
    dispatches,
    slotBytes: pool.sizes,
    outputs: outputs.map((o) => ({ name: o.name, from: storage.get(owner.get(o.node)!)!, bytes: bytesOf(o.node) })),
    staged,
    commits,
    feeds: [...feeds],
  };
}
