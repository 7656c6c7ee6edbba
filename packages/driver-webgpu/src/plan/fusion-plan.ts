import { sizeOf, type GraphNode, type NodeId, type Program, type Shape } from '@ltssl/core';
import { PARAM_WORDS } from '../gpu/gpu-constants.js';
import { elementwiseOf, type ElementwiseDef } from '../kernels/elementwise.js';
import { chainBindings, chainParamWords, fusedChainPlan, type ChainOperand, type ChainRead, type ChainStep, type FusedChain } from '../kernels/fused-elementwise.js';
import { wgslType, type KernelPlan } from '../kernels/kernel.js';
import { KERNELS } from '../kernels/registry.js';
import { broadcastStrides, rowMajorStrides } from '../kernels/strides.js';

/** Element-wise nodes computed by one kernel: what buildUnits makes one unit of. */
export interface FusedGroup {
  readonly shape: Shape;
  /** In graph order. */
  readonly members: readonly NodeId[];
  /** The nodes whose buffers the kernel binds, in binding order. */
  readonly reads: readonly NodeId[];
  /** The members kept in memory: fetched, updated, or read by anything outside the group. */
  readonly writes: readonly NodeId[];
  readonly plan: KernelPlan;
}

export interface FusionLimits {
  /** The device's maxStorageBuffersPerShaderStage: a group binds at most this many buffers. */
  readonly maxStorageBuffers: number;
}

/** An operand as the fused kernel sees it: the buffer it lives in and its strides over the group's axes. */
interface View {
  readonly source: NodeId;
  readonly strides: readonly number[];
  /** Element i of the group is element i of the source. */
  readonly identity: boolean;
  readonly scalar: boolean;
}

function sameShape(a: Shape, b: Shape): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

const F32 = new Float32Array(1);
const U32 = new Uint32Array(F32.buffer);

/**
 * Groups element-wise ops (the kernels with an `elementwise` expression) into
 * chains one kernel computes per element in registers, over Program graphs as
 * core builds them; nothing in core changes. A node joins the group of an
 * operand it reads element for element (same shape, no broadcast), and may
 * merge the groups of several such operands. It does not join when:
 * - it would read a member of the group through a broadcast (another thread's
 *   element, written in the same dispatch);
 * - the group would depend on itself through a node outside it (the fused
 *   units must stay a DAG);
 * - the kernel would bind more storage buffers than the device allows, or need
 *   more uniform words than a dispatch has.
 * Operands are read through reshapes and broadcastTo views without their
 * materialised copies; scalar constants go into the uniform. A member is
 * written to memory when it is a program output or an update value, or when
 * anything outside the group reads it. Groups of one node keep the op's own kernel.
 */
export function planFusion(program: Program, kernels: ReadonlyMap<NodeId, KernelPlan>, limits: FusionLimits): FusedGroup[] {
  const graph = program.graph;
  const nodes = graph.nodes;
  const isAlias = (id: NodeId): boolean => kernels.get(id)?.kind === 'alias';
  const defOf = (node: GraphNode): ElementwiseDef | undefined => {
    if (node.kind !== 'op' || kernels.get(node.id)?.kind !== 'dispatch' || sizeOf(node.shape) === 0) return undefined;
    return elementwiseOf(KERNELS[node.op]);
  };
  const ownerOf = (id: NodeId): NodeId => (isAlias(id) ? ownerOf((nodes[id] as { inputs: readonly NodeId[] }).inputs[0]!) : id);

  /** Reads `input` over shape G, through aliases and one broadcastTo. */
  const view = (input: NodeId, G: Shape): View => {
    let id = input;
    let strides = broadcastStrides(nodes[id]!.shape, G);
    // The shape whose coordinates `strides` follow (a broadcastTo below can be read through); undefined past a reshape.
    let viewShape: Shape | undefined = nodes[id]!.shape;
    for (;;) {
      const node = nodes[id]!;
      if (node.kind !== 'op') break;
      if (isAlias(id)) {
        const from = nodes[node.inputs[0]!]!;
        if (viewShape && !sameShape(from.shape, viewShape)) viewShape = undefined;
        id = from.id;
        continue;
      }
      if (node.op === 'broadcastTo' && viewShape && sameShape(node.shape, viewShape)) {
        const from = nodes[node.inputs[0]!]!;
        const inner = broadcastStrides(from.shape, node.shape);
        const lead = G.length - node.shape.length;
        strides = strides.map((s, d) => (s === 0 ? 0 : inner[d - lead]!));
        viewShape = from.shape;
        id = from.id;
        continue;
      }
      break;
    }
    const size = sizeOf(G);
    const row = rowMajorStrides(G);
    const scalar = sizeOf(nodes[id]!.shape) === 1;
    const identity = sizeOf(nodes[id]!.shape) === size && G.every((dim, d) => dim === 1 || strides[d] === row[d]);
    return { source: id, strides, identity, scalar };
  };

  // Who reads each value (through aliases): a member with a reader outside its group is written.
  const readers = new Map<NodeId, NodeId[]>();
  for (const node of nodes) {
    if (node.kind !== 'op' || isAlias(node.id)) continue;
    for (const input of node.inputs) {
      const o = ownerOf(input);
      readers.set(o, [...(readers.get(o) ?? []), node.id]);
    }
  }
  const pinned = new Set([...program.outputs.map((o) => ownerOf(o.node)), ...program.updates.map((u) => ownerOf(u.node))]);

  interface Draft {
    readonly shape: Shape;
    readonly members: NodeId[];
  }
  const groupOf = new Map<NodeId, Draft>();
  const views = new Map<NodeId, View[]>();

  const isScalarConstant = (id: NodeId): boolean => kernels.get(id)?.kind === 'constant' && sizeOf(nodes[id]!.shape) === 1;

  /** The chain a set of members would compile to (members in graph order). */
  const chainOf = (members: readonly NodeId[], shape: Shape): { chain: FusedChain; reads: NodeId[]; writes: NodeId[] } => {
    const inside = new Set(members);
    const step = new Map(members.map((m, i) => [m, i]));
    const reads: NodeId[] = [];
    const readModes: ChainRead[] = [];
    const params: { bits: number; type: 'f32' | 'i32' }[] = [];
    const paramOf = new Map<NodeId, number>();
    const readOf = new Map<string, number>();
    const steps: ChainStep[] = members.map((m) => {
      const node = nodes[m] as GraphNode & { kind: 'op' };
      const operands = views.get(m)!.map((v): ChainOperand => {
        if (inside.has(v.source)) return { kind: 'step', index: step.get(v.source)! };
        const type = wgslType(nodes[v.source]!.dtype);
        if (isScalarConstant(v.source)) {
          if (!paramOf.has(v.source)) {
            const data = (kernels.get(v.source) as { data: Float32Array | Int32Array }).data;
            F32[0] = data[0]!;
            paramOf.set(v.source, params.length);
            params.push({ bits: data instanceof Int32Array ? data[0]! >>> 0 : U32[0]!, type });
          }
          return { kind: 'param', index: paramOf.get(v.source)! };
        }
        const mode: ChainRead = v.scalar ? { mode: 'scalar', type } : v.identity ? { mode: 'direct', type } : { mode: 'strided', type, strides: v.strides };
        const key = `${v.source}:${mode.mode}:${mode.mode === 'strided' ? mode.strides.join(',') : ''}`;
        if (!readOf.has(key)) {
          readOf.set(key, readModes.length);
          reads.push(v.source);
          readModes.push(mode);
        }
        return { kind: 'read', index: readOf.get(key)! };
      });
      return { op: node.op, def: elementwiseOf(KERNELS[node.op])!, operands, inType: wgslType(nodes[node.inputs[0]!]!.dtype) };
    });
    const writes = members.filter((m) => pinned.has(m) || (readers.get(m) ?? []).some((r) => !inside.has(r)));
    const chain: FusedChain = { shape, reads: readModes, params, steps, writes: writes.map((w) => ({ step: step.get(w)!, type: wgslType(nodes[w]!.dtype) })) };
    return { chain, reads, writes };
  };

  /** What a node's computation reads: a fusible node its views' sources (aliases and broadcast views are not run for it), any other node its inputs. */
  const readsOf = (id: NodeId): readonly NodeId[] => views.get(id)?.map((v) => v.source) ?? (nodes[id] as { inputs?: readonly NodeId[] }).inputs ?? [];
  /**
   * Would the merged members depend on themselves through a unit outside them?
   * Walks back from what they read outside, across other groups as whole units.
   */
  const makesCycle = (members: ReadonlySet<NodeId>): boolean => {
    const seen = new Set<Draft | NodeId>();
    const stack: NodeId[] = [...members].flatMap((m) => readsOf(m).filter((r) => !members.has(r)));
    while (stack.length > 0) {
      const id = stack.pop()!;
      if (members.has(id)) return true;
      const unit = groupOf.get(id) ?? id;
      if (seen.has(unit)) continue;
      seen.add(unit);
      for (const m of typeof unit === 'number' ? [unit] : unit.members) for (const r of readsOf(m)) if (groupOf.get(r) !== unit) stack.push(r);
    }
    return false;
  };
  const fits = (members: readonly NodeId[], shape: Shape): boolean => {
    const { chain } = chainOf(members, shape);
    return chainBindings(chain) <= limits.maxStorageBuffers && chainParamWords(chain) <= PARAM_WORDS;
  };

  for (const node of nodes) {
    const def = defOf(node);
    if (!def || node.kind !== 'op') continue;
    const operandViews = node.inputs.map((input) => view(input, node.shape));
    views.set(node.id, operandViews);
    // Groups this node reads element for element; a group it also reads through a broadcast is out.
    const blocked = new Set(operandViews.filter((v) => !v.identity).map((v) => groupOf.get(v.source)));
    const candidates = [...new Set(operandViews.filter((v) => v.identity).map((v) => groupOf.get(v.source)))].filter(
      (g): g is Draft => g !== undefined && !blocked.has(g) && sameShape(g.shape, node.shape),
    );
    // All candidate groups merged, else the most recent one alone, else a new group.
    const tries = candidates.length > 1 ? [candidates, ...candidates.slice().reverse().map((g) => [g])] : candidates.map((g) => [g]);
    let joined = false;
    for (const groups of tries) {
      const members = [...groups.flatMap((g) => g.members), node.id].sort((a, b) => a - b);
      if (makesCycle(new Set(members)) || !fits(members, node.shape)) continue;
      const merged: Draft = { shape: node.shape, members };
      for (const m of members) groupOf.set(m, merged);
      joined = true;
      break;
    }
    if (!joined) groupOf.set(node.id, { shape: node.shape, members: [node.id] });
  }

  const groups: FusedGroup[] = [];
  for (const draft of new Set(groupOf.values())) {
    if (draft.members.length < 2) continue;
    const { chain, reads, writes } = chainOf(draft.members, draft.shape);
    groups.push({ shape: draft.shape, members: draft.members, reads, writes, plan: fusedChainPlan(chain) });
  }
  return groups;
}
