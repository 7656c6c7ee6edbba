import type { DType } from '../ir/dtype.js';
import type { GraphNode, NodeId, OpNode } from '../ir/graph.js';
import { sizeOf, stridesOf, type Shape } from '../ir/shape.js';
import type { Program } from '../program/program.js';
import { copyOp, rewriteProgram, type GraphPass, type Rewriter } from './graph-pass.js';

/**
 * The largest non-uniform result folded into a literal. Larger ones (SimCLR's
 * [2B, 2B] identity mask from iota) stay ops: a literal would cost its size in
 * every serialised program, which is what the loss builds them from iota to avoid.
 */
export const FOLD_LIMIT = 1024;

type Unary = (x: number) => number;
type Binary = (a: number, b: number) => number;

/** How a folded op computes one element, as the reference driver does; int32 arithmetic wraps. */
const UNARY: Readonly<Record<string, (dtype: DType) => Unary | undefined>> = {
  neg: (d) => (d === 'int32' ? (x) => -x | 0 : (x) => -x),
  exp: () => Math.exp,
  log: () => Math.log,
  sqrt: () => Math.sqrt,
  relu: () => (x) => (x > 0 ? x : 0),
};
const BINARY: Readonly<Record<string, (dtype: DType) => Binary | undefined>> = {
  add: (d) => (d === 'int32' ? (a, b) => (a + b) | 0 : (a, b) => a + b),
  sub: (d) => (d === 'int32' ? (a, b) => (a - b) | 0 : (a, b) => a - b),
  mul: (d) => (d === 'int32' ? Math.imul : (a, b) => a * b),
  // int32 division has rounding rules of its own on each engine: left to the driver.
  div: (d) => (d === 'int32' ? undefined : (a, b) => a / b),
  maximum: () => Math.max,
  greater: () => (a, b) => (a > b ? 1 : 0),
  equal: () => (a, b) => (a === b ? 1 : 0),
};

/** A float32 result is rounded to float32 after every op, as a float32 engine computes it. */
function rounding(dtype: DType): Unary {
  return dtype === 'float32' ? Math.fround : (x) => x;
}

/** For each element of `to`, the flat index of the element of `from` it reads under NumPy broadcasting. */
function broadcastIndex(from: Shape, to: Shape): Int32Array {
  const size = sizeOf(to);
  const out = new Int32Array(size);
  const strides = stridesOf(from);
  const offset = to.length - from.length;
  const toStrides = stridesOf(to);
  for (let i = 0; i < size; i++) {
    let flat = 0;
    for (let axis = offset; axis < to.length; axis++) {
      const k = axis - offset;
      if (from[k] !== 1) flat += (Math.floor(i / toStrides[axis]!) % to[axis]!) * strides[k]!;
    }
    out[i] = flat;
  }
  return out;
}

function valuesOf(node: OpNode<'constant'>): number[] {
  const { value, shape } = node.attrs;
  return typeof value === 'number' ? new Array<number>(sizeOf(shape)).fill(value) : [...value];
}

/** Whether every input is a fill constant (one number): then so is the result of an element-wise or layout op. */
const allFills = (inputs: readonly OpNode<'constant'>[]): boolean => inputs.every((c) => typeof c.attrs.value === 'number');

/** The values of `node` computed from constant inputs, or undefined when it is not folded. */
function fold(node: OpNode, inputs: readonly OpNode<'constant'>[]): number | number[] | undefined {
  const round = rounding(node.dtype);
  const fills = allFills(inputs);
  if (!fills && sizeOf(node.shape) > FOLD_LIMIT) return undefined;
  const unary = UNARY[node.op]?.(node.dtype);
  if (unary) return fills ? round(unary(inputs[0]!.attrs.value as number)) : valuesOf(inputs[0]!).map((v) => round(unary(v)));
  const binary = BINARY[node.op]?.(inputs[0]?.dtype ?? node.dtype);
  if (binary) {
    const [a, b] = inputs as [OpNode<'constant'>, OpNode<'constant'>];
    if (fills) return round(binary(a.attrs.value as number, b.attrs.value as number));
    const [av, bv] = [valuesOf(a), valuesOf(b)];
    const [ai, bi] = [broadcastIndex(a.shape, node.shape), broadcastIndex(b.shape, node.shape)];
    return Array.from(ai, (ia, i) => round(binary(av[ia]!, bv[bi[i]!]!)));
  }
  const x = inputs[0];
  switch (node.op) {
    case 'cast': {
      // As the reference driver: float -> int32 truncates toward zero; to float32 rounds.
      const convert: Unary = node.dtype === 'int32' ? Math.trunc : node.dtype === 'float32' ? Math.fround : (v) => v;
      return fills ? convert(x!.attrs.value as number) : valuesOf(x!).map(convert);
    }
    case 'reshape':
      return fills ? (x!.attrs.value as number) : valuesOf(x!);
    case 'broadcastTo': {
      if (fills) return x!.attrs.value as number;
      const values = valuesOf(x!);
      return Array.from(broadcastIndex(x!.shape, node.shape), (i) => values[i]!);
    }
    default:
      return undefined;
  }
}

function representable(value: number | number[], dtype: DType): boolean {
  const values = typeof value === 'number' ? [value] : value;
  return values.every((v) => Number.isFinite(v) && (dtype !== 'int32' || (v >= -(2 ** 31) && v < 2 ** 31)));
}

function foldOrCopy(node: OpNode, inputs: readonly NodeId[], r: Rewriter): NodeId {
  const nodes = inputs.map((i) => r.node(i));
  const constants = nodes.every((n: GraphNode) => n.kind === 'op' && n.op === 'constant');
  if (node.op !== 'constant' && node.inputs.length > 0 && constants) {
    const value = fold(node, nodes as OpNode<'constant'>[]);
    // A non-finite result (log 0) stays an op: a constant holds finite numbers only.
    if (value !== undefined && representable(value, node.dtype)) {
      const uniform = typeof value === 'number' ? value : value.length > 0 && value.every((v) => v === value[0]) ? value[0]! : value;
      return r.add('constant', [], { dtype: node.dtype, shape: node.shape, value: uniform }, node.label);
    }
  }
  return copyOp(node, inputs, r);
}

/**
 * Constant folding: an element-wise or layout op whose inputs are all
 * constants becomes one constant, computed here as a float32 engine would
 * (rounded to float32 after each op), so a one-number fill broadcast over a
 * tensor is one fill and the step never recomputes a constant. Non-uniform
 * results above FOLD_LIMIT elements stay ops.
 */
export const constantFolding: GraphPass = {
  name: 'constant-folding',
  run: (program: Program) => rewriteProgram(program, foldOrCopy),
};
