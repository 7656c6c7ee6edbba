import { sizeOf, type NodeId, type Program } from '@ltssl/core';
import type { Dispatch } from '../kernels/kernel.js';
import { PoolAllocator } from './pool-allocator.js';
import { bufferBytes, type Storage } from './storage.js';
import type { Unit } from './units.js';

/** One dispatch with its buffers resolved to storage. */
export interface PlannedDispatch {
  /** The node its unit is named by (a fused group's last member). */
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
 * Plans a run: the live units of the fetched outputs and of every update (a
 * unit is live when something live needs a value it writes), a pool slot for
 * each value a unit writes from then to its last reader (aliases such as
 * reshape extend their source's life), scratch slots held only during their
 * unit. Outputs and update values stay allocated to the end, where they are
 * copied out (fetches first, so a fetched slot shows its pre-step value, then
 * commits).
 */
export function planStep(program: Program, units: readonly Unit[], fetch: readonly string[]): StepPlan {
  const graph = program.graph;
  const outputs = program.outputs.filter((o) => fetch.includes(o.name));
  const roots = [...outputs.map((o) => o.node), ...program.updates.map((u) => u.node)];
  const isAlias = (u: Unit): boolean => u.work.kind === 'alias';
  // Liveness, last unit first.
  const needed = new Set<NodeId>(roots);
  const live: boolean[] = units.map(() => false);
  for (let i = units.length - 1; i >= 0; i--) {
    const u = units[i]!;
    if (!u.writes.some((w) => needed.has(w))) continue;
    live[i] = true;
    for (const r of u.reads) needed.add(r);
  }
  const order = units.filter((_, i) => live[i]);
  const owner = new Map<NodeId, NodeId>();
  for (const u of order) for (const w of u.writes) owner.set(w, isAlias(u) ? owner.get(u.reads[0]!)! : w);
  const lastUse = new Map<NodeId, number>();
  order.forEach((u, position) => {
    for (const r of u.reads) lastUse.set(owner.get(r)!, position);
  });
  for (const root of roots) lastUse.set(owner.get(root)!, Infinity);

  const pool = new PoolAllocator();
  const storage = new Map<NodeId, Storage>();
  const dispatches: PlannedDispatch[] = [];
  const bytesOf = (id: NodeId): number => bufferBytes(sizeOf(graph.node(id).shape));
  const feeds = new Set<string>();
  order.forEach((u, position) => {
    const id = u.writes[0]!;
    const work = u.work;
    if (work.kind === 'input' || work.kind === 'state') {
      const node = graph.node(id) as { name: string };
      if (work.kind === 'input') feeds.add(node.name);
      storage.set(id, { kind: work.kind === 'input' ? 'feed' : 'state', name: node.name });
      return;
    }
    if (work.kind === 'alias') {
      storage.set(id, storage.get(owner.get(id)!)!);
      return;
    }
    if (work.kind === 'constant') {
      storage.set(id, { kind: 'constant', node: id });
      return;
    }
    const scratch = (work.scratchBytes ?? []).map((bytes) => pool.allocate(bufferBytes(bytes / 4)));
    const outs: Storage[] = u.writes.map((w) => {
      const out: Storage = { kind: 'pool', slot: pool.allocate(bytesOf(w)) };
      storage.set(w, out);
      return out;
    });
    for (const dispatch of work.dispatches) {
      if (dispatch.workgroups.includes(0)) continue; // an empty tensor: nothing to compute
      const buffers = dispatch.buffers.map((ref): Storage => (ref.kind === 'output' ? outs[ref.index ?? 0]! : ref.kind === 'input' ? storage.get(u.reads[ref.index]!)! : { kind: 'pool', slot: scratch[ref.index]! }));
      const bindingBytes = dispatch.buffers.map((ref) =>
        ref.kind === 'output' ? bytesOf(u.writes[ref.index ?? 0]!) : ref.kind === 'input' ? bytesOf(u.reads[ref.index]!) : bufferBytes(work.scratchBytes![ref.index]! / 4),
      );
      dispatches.push({ node: u.id, dispatch, buffers, bindingBytes });
    }
    for (const slot of scratch) pool.release(slot);
    // Inputs are released after the outputs were placed: a dispatch never reads and writes one buffer.
    const released = new Set<NodeId>();
    for (const value of [...u.reads.map((r) => owner.get(r)!), ...u.writes]) {
      const s = storage.get(value)!;
      if (s.kind === 'pool' && !released.has(value) && (lastUse.get(value) ?? position) <= position) {
        released.add(value);
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
