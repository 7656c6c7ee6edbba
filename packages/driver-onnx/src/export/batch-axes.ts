import { ERROR_CODES, formatShape, LtsslError, type GraphNode, type NodeId, type OpNode, type Program } from '@ltssl/core';

/**
 * Which axis of each node carries the batch (undefined: none; the node is the
 * same for every batch size, a weight or a constant).
 */
export type BatchAxes = ReadonlyMap<NodeId, number | undefined>;

/** The smallest batch a Program may be traced at for export: at 1, a batch axis and a broadcast axis of size 1 look alike. */
export const MIN_TRACED_BATCH = 2;

const product = (dims: readonly number[]): number => dims.reduce((a, b) => a * b, 1);

function where(program: Program, node: GraphNode): string {
  const what = node.kind === 'op' ? `${node.op}#${node.id}${node.label ? ` at '${node.label}'` : ''}` : `${node.kind} '${node.name}'`;
  return `export of '${program.name}' with a symbolic batch: ${what} ${formatShape(node.shape)}`;
}

/**
 * Follows the batch axis from the Program's inputs (axis 0 of each) through
 * every node the outputs need, so the exporter can write each shape-carrying
 * constant (a Reshape target, an Expand shape, Slice bounds) without the
 * traced batch size. The IR stays static: this only says where the one
 * dimension that varies sits. A node whose result would change with the
 * batch in another way (a sum over the batch, BatchNorm's training-mode
 * statistics, a reshape that folds the batch into another axis, a constant
 * sized like the batch) is refused, naming the node.
 */
export function batchAxes(program: Program, live: readonly NodeId[]): Map<NodeId, number | undefined> {
  const axes = new Map<NodeId, number | undefined>();
  const traced = new Set<number>();
  for (const input of program.inputs) {
    const node = program.graph.node(input.node);
    if (node.shape.length === 0) throw new LtsslError(ERROR_CODES.programInvalid, `${where(program, node)}: a scalar input has no batch axis; export it with a static batch`);
    traced.add(node.shape[0]!);
  }
  if (traced.size > 1) throw new LtsslError(ERROR_CODES.programInvalid, `export of '${program.name}' with a symbolic batch: the inputs were traced at different batch sizes (${[...traced].join(', ')}); give every input the same first dimension`);
  const batch = [...traced][0];
  if (batch !== undefined && batch < MIN_TRACED_BATCH) {
    throw new LtsslError(ERROR_CODES.programInvalid, `export of '${program.name}' with a symbolic batch: traced at batch ${batch}; trace it at a batch of ${MIN_TRACED_BATCH} or more, where the batch axis cannot be mistaken for a broadcast one`);
  }
  for (const id of live) {
    const node = program.graph.node(id);
    if (node.kind === 'input') axes.set(id, 0);
    else if (node.kind === 'state') axes.set(id, undefined);
    else axes.set(id, opBatchAxis(program, node, node.inputs.map((i) => ({ node: program.graph.node(i), axis: axes.get(i) }))));
  }
  return axes;
}

interface Operand {
  readonly node: GraphNode;
  readonly axis: number | undefined;
}

function opBatchAxis(program: Program, node: OpNode, inputs: readonly Operand[]): number | undefined {
  const refuse = (why: string): never => {
    throw new LtsslError(ERROR_CODES.programInvalid, `${where(program, node)}: ${why}; the encoder can only be exported with a static batch (this op mixes images or depends on their number)`);
  };
  const [x] = inputs as [Operand];
  switch (node.op) {
    case 'constant':
      return undefined;
    case 'neg':
    case 'exp':
    case 'log':
    case 'sqrt':
    case 'relu':
    case 'stopGradient':
    case 'cast':
      return x.axis;
    case 'add':
    case 'sub':
    case 'mul':
    case 'div':
    case 'maximum':
    case 'greater':
    case 'equal':
      return broadcastAxis(node, inputs, refuse);
    case 'reduceSum':
    case 'reduceMax':
    case 'argMax': {
      if (x.axis === undefined) return undefined;
      const attrs = node.attrs as { axes?: readonly number[]; axis?: number; keepDims: boolean };
      const reduced = attrs.axes ?? [attrs.axis!];
      if (reduced.includes(x.axis)) refuse(`it reduces over the batch axis ${x.axis}`);
      return attrs.keepDims ? x.axis : x.axis - reduced.filter((a) => a < x.axis!).length;
    }
    case 'reshape':
      return x.axis === undefined ? undefined : reshapeAxis(x.node.shape, x.axis, node.shape, refuse);
    case 'transpose':
      return x.axis === undefined ? undefined : (node.attrs as { perm: readonly number[] }).perm.indexOf(x.axis);
    case 'broadcastTo':
      // Right-aligned, as the IR broadcasts; an input without the batch that is broadcast up to it would fix its size.
      if (x.axis === undefined) return undefined;
      return x.axis + node.shape.length - x.node.shape.length;
    case 'slice': {
      if (x.axis === undefined) return undefined;
      const { begin, size } = node.attrs as { begin: readonly number[]; size: readonly number[] };
      if (begin[x.axis] !== 0 || size[x.axis] !== x.node.shape[x.axis]) refuse(`it takes part of the batch axis (begin ${begin[x.axis]}, size ${size[x.axis]} of ${x.node.shape[x.axis]})`);
      return x.axis;
    }
    case 'pad': {
      if (x.axis === undefined) return undefined;
      const pads = (node.attrs as { pads: readonly (readonly number[])[] }).pads[x.axis]!;
      if (pads[0] !== 0 || pads[1] !== 0) refuse('it pads the batch axis');
      return x.axis;
    }
    case 'concat': {
      const axis = (node.attrs as { axis: number }).axis;
      const carried = new Set(inputs.map((i) => i.axis));
      if (carried.size === 1 && carried.has(undefined)) return undefined;
      if (carried.size > 1) refuse('it joins tensors with and without the batch axis');
      const batchAxis = inputs[0]!.axis!;
      if (batchAxis === axis) refuse('it joins along the batch axis');
      return batchAxis;
    }
    case 'matmul': {
      const [a, b] = inputs as [Operand, Operand];
      const { transposeA, transposeB } = node.attrs as { transposeA: boolean; transposeB: boolean };
      if (a.axis !== undefined && b.axis !== undefined) refuse('both factors carry the batch');
      // op(a) is [M, K] and op(b) [K, N]: the batch may be M or N, never the contracted K.
      if (a.axis !== undefined) return a.axis === (transposeA ? 1 : 0) ? 0 : refuse('it contracts over the batch axis');
      if (b.axis !== undefined) return b.axis === (transposeB ? 0 : 1) ? 1 : refuse('it contracts over the batch axis');
      return undefined;
    }
    case 'conv2d':
    case 'conv2dBackpropInput': {
      const [data, filter] = inputs as [Operand, Operand];
      if (filter.axis !== undefined) refuse('its filter depends on the batch');
      if (data.axis !== undefined && data.axis !== 0) refuse(`its data carries the batch on axis ${data.axis}, not 0 (N of NCHW)`);
      return data.axis;
    }
    case 'conv2dBackpropFilter':
      return inputs.some((i) => i.axis !== undefined) ? refuse('a filter gradient sums over the batch') : undefined;
  }
}

/** Right-aligned broadcasting: the batch axis of the output, checked against every input. */
function broadcastAxis(node: OpNode, inputs: readonly Operand[], refuse: (why: string) => never): number | undefined {
  const rank = node.shape.length;
  let axis: number | undefined;
  for (const i of inputs) {
    if (i.axis === undefined) continue;
    const aligned = i.axis + rank - i.node.shape.length;
    if (axis !== undefined && axis !== aligned) refuse(`its inputs carry the batch on different axes (${axis} and ${aligned})`);
    axis = aligned;
  }
  if (axis === undefined) return undefined;
  for (const i of inputs) {
    if (i.axis !== undefined) continue;
    const at = axis - (rank - i.node.shape.length);
    if (at >= 0 && i.node.shape[at] !== 1) refuse(`an input without the batch has size ${i.node.shape[at]} on the batch axis, so it only fits the traced batch`);
  }
  return axis;
}

/**
 * Where the batch axis goes through a reshape: it must stay one axis of its
 * own, with the same elements before and after it, or the reshape folds it
 * into another axis and depends on its size.
 */
function reshapeAxis(from: readonly number[], axis: number, to: readonly number[], refuse: (why: string) => never): number {
  const outer = product(from.slice(0, axis));
  const inner = product(from.slice(axis + 1));
  for (let q = 0; q < to.length; q++) {
    if (to[q] === from[axis] && product(to.slice(0, q)) === outer && product(to.slice(q + 1)) === inner) return q;
  }
  return refuse(`it folds the batch axis ${axis} of ${formatShape(from)} into other axes`);
}
