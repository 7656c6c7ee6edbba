import { describe, expect, it } from 'vitest';
import { hasErrorCode, ERROR_CODES } from '../errors.js';
import { Graph, IrValidationError, type NodeId } from '../ir/graph.js';
import type { DType } from '../ir/dtype.js';
import type { Shape } from '../ir/shape.js';
import { OP_NAMES, OPS } from './registry.js';

function graphWith(...types: [DType, Shape][]): { graph: Graph; ids: NodeId[] } {
  const graph = new Graph();
  const ids = types.map(([dtype, shape], i) => graph.addInput(`x${i}`, { dtype, shape }).id);
  return { graph, ids };
}

/** The message of the error `build` throws, after checking it is an IR validation error. */
function irError(build: () => unknown): string {
  try {
    build();
  } catch (error) {
    expect(error).toBeInstanceOf(IrValidationError);
    expect(hasErrorCode(error, ERROR_CODES.irInvalid)).toBe(true);
    return (error as Error).message;
  }
  throw new Error('expected an IR validation error');
}

describe('op rules: validation errors name the op, the input types and the rule', () => {
  it('conv2d: channel mismatch', () => {
    const { graph, ids } = graphWith(['float32', [2, 3, 8, 8]], ['float32', [4, 5, 3, 3]]);
    const message = irError(() => graph.addOp('conv2d', ids, { strides: [1, 1], pads: [1, 1, 1, 1] }, 'layer1.0.conv1'));
    expect(message).toBe("conv2d(float32[2,3,8,8], float32[4,5,3,3]) at 'layer1.0.conv1': channels differ: x [2,3,8,8] has 3 channels, filter [4,5,3,3] expects 5");
  });

  it('conv2d: rank, filter size, stride and pads ranges', () => {
    const { graph, ids } = graphWith(['float32', [3, 8, 8]], ['float32', [4, 3, 3, 3]], ['float32', [1, 3, 2, 2]], ['float32', [4, 3, 3, 3]]);
    expect(irError(() => graph.addOp('conv2d', [ids[0]!, ids[1]!], { strides: [1, 1], pads: [0, 0, 0, 0] }))).toContain("input 'x' must have rank 4 (NCHW), got rank 3");
    expect(irError(() => graph.addOp('conv2d', [ids[2]!, ids[3]!], { strides: [1, 1], pads: [0, 0, 0, 0] }))).toContain('filter 3x3 is larger than the padded input 2x2');
    expect(irError(() => graph.addOp('conv2d', [ids[2]!, ids[3]!], { strides: [0, 1], pads: [1, 1, 1, 1] }))).toContain("attribute 'strides' must be an array of integers >= 1");
    expect(irError(() => graph.addOp('conv2d', [ids[2]!, ids[3]!], { strides: [1, 1], pads: [1, 1] }))).toContain("attribute 'pads' must have 4 entries");
  });

  it('conv2dBackpropInput: inputShape must reproduce dy', () => {
    const { graph, ids } = graphWith(['float32', [2, 4, 4, 4]], ['float32', [4, 3, 3, 3]]);
    // stride 2, pad 1: H = 7 and H = 8 both give H' = 4, so both are accepted; H = 9 is not.
    expect(graph.addOp('conv2dBackpropInput', ids, { strides: [2, 2], pads: [1, 1, 1, 1], inputShape: [2, 3, 7, 7] }).shape).toEqual([2, 3, 7, 7]);
    expect(graph.addOp('conv2dBackpropInput', ids, { strides: [2, 2], pads: [1, 1, 1, 1], inputShape: [2, 3, 8, 8] }).shape).toEqual([2, 3, 8, 8]);
    expect(irError(() => graph.addOp('conv2dBackpropInput', ids, { strides: [2, 2], pads: [1, 1, 1, 1], inputShape: [2, 3, 9, 9] }))).toContain(
      'conv2d of inputShape [2,3,9,9] with w [4,3,3,3] gives [2,4,5,5], but dy is [2,4,4,4]',
    );
  });

  it('conv2dBackpropFilter: filterShape must reproduce dy', () => {
    const { graph, ids } = graphWith(['float32', [2, 3, 8, 8]], ['float32', [2, 4, 8, 8]]);
    expect(graph.addOp('conv2dBackpropFilter', ids, { strides: [1, 1], pads: [1, 1, 1, 1], filterShape: [4, 3, 3, 3] }).shape).toEqual([4, 3, 3, 3]);
    expect(irError(() => graph.addOp('conv2dBackpropFilter', ids, { strides: [1, 1], pads: [1, 1, 1, 1], filterShape: [5, 3, 3, 3] }))).toContain('but dy is [2,4,8,8]');
  });

  it('binary ops: broadcasting and dtype rules', () => {
    const { graph, ids } = graphWith(['float32', [2, 3]], ['float32', [3, 2]], ['int32', [2, 3]]);
    expect(irError(() => graph.addOp('add', [ids[0]!, ids[1]!], {}))).toBe(
      'add(float32[2,3], float32[3,2]): shapes [2,3] and [3,2] do not broadcast: aligned from the right, each pair of dims must be equal or contain a 1',
    );
    expect(irError(() => graph.addOp('mul', [ids[0]!, ids[2]!], {}))).toContain('inputs must share one dtype, got float32 and int32: insert a cast');
    expect(irError(() => graph.addOp('div', [ids[2]!, ids[2]!], {}))).toContain('inputs must be float32 or float64, got int32');
  });

  it('matmul: inner dimensions and transposes', () => {
    const { graph, ids } = graphWith(['float32', [3, 4]], ['float32', [5, 4]]);
    expect(irError(() => graph.addOp('matmul', ids, { transposeA: false, transposeB: false }))).toContain('inner dimensions differ: op(a) is [3,4] and op(b) is [5,4]');
    expect(graph.addOp('matmul', ids, { transposeA: false, transposeB: true }).shape).toEqual([3, 5]);
  });

  it('reductions: axes normalised, repeated or out-of-range axes rejected', () => {
    const { graph, ids } = graphWith(['float32', [2, 3, 4]]);
    const node = graph.addOp('reduceSum', ids, { axes: [-1, 0], keepDims: true });
    expect(node.attrs.axes).toEqual([0, 2]);
    expect(node.shape).toEqual([1, 3, 1]);
    expect(irError(() => graph.addOp('reduceSum', ids, { axes: [1, -2], keepDims: false }))).toContain('repeats an axis');
    expect(irError(() => graph.addOp('reduceMax', ids, { axes: [3], keepDims: false }))).toContain("attribute 'axes' = 3 is out of range for rank 3 (allowed -3..2)");
    expect(irError(() => graph.addOp('reduceSum', ids, { axes: [], keepDims: false }))).toContain('non-empty');
  });

  it('layout ops: reshape infers -1, slice and concat check extents', () => {
    const { graph, ids } = graphWith(['float32', [2, 3, 4]], ['float32', [2, 5, 4]], ['float32', [2, 5, 3]]);
    expect(graph.addOp('reshape', [ids[0]!], { shape: [4, -1] }).attrs.shape).toEqual([4, 6]);
    expect(irError(() => graph.addOp('reshape', [ids[0]!], { shape: [5, -1] }))).toContain('size 24 is not a multiple of 5');
    expect(irError(() => graph.addOp('slice', [ids[0]!], { begin: [0, 2, 0], size: [2, 2, 4] }))).toContain('axis 1: begin 2 + size 2 exceeds 3');
    expect(graph.addOp('concat', [ids[0]!, ids[1]!], { axis: -2 }).shape).toEqual([2, 8, 4]);
    expect(irError(() => graph.addOp('concat', [ids[0]!, ids[2]!], { axis: 1 }))).toContain('input 1 has shape [2,5,3], which differs from [2,3,4] off axis 1');
    expect(irError(() => graph.addOp('transpose', [ids[0]!], { perm: [0, 0, 1] }))).toContain('not a permutation of 0..2');
    expect(irError(() => graph.addOp('broadcastTo', [ids[0]!], { shape: [2, 6, 4] }))).toContain('[2,3,4] does not broadcast to [2,6,4]');
  });

  it('arity, unknown and missing attributes', () => {
    const { graph, ids } = graphWith(['float32', [2]]);
    expect(irError(() => graph.addOp('add', ids, {}))).toContain('takes 2 input(s) (a, b), got 1');
    expect(irError(() => graph.addOp('exp', ids, { axis: 1 } as never))).toContain("unknown attribute(s) 'axis'; exp takes none");
    expect(irError(() => graph.addOp('argMax', ids, { axis: 0 } as never))).toContain("missing attribute(s) 'keepDims'");
    expect(irError(() => graph.addOp('nope' as never, ids, {} as never))).toContain("unknown op 'nope'");
  });

  it('constant: value count and int32 values', () => {
    const graph = new Graph();
    expect(graph.addOp('constant', [], { dtype: 'int32', shape: [1, 3], value: [0, 1, 2] }).shape).toEqual([1, 3]);
    expect(irError(() => graph.addOp('constant', [], { dtype: 'float32', shape: [2, 2], value: [1, 2, 3] }))).toContain('has 3 numbers but shape [2,2] holds 4');
    expect(irError(() => graph.addOp('constant', [], { dtype: 'int32', shape: [], value: 0.5 }))).toContain('32-bit integers');
    expect(irError(() => graph.addOp('constant', [], { dtype: 'float32', shape: [], value: Number.NaN }))).toContain('finite');
  });

  it('float-only ops reject int32 and cast converts', () => {
    const { graph, ids } = graphWith(['int32', [3]]);
    expect(irError(() => graph.addOp('exp', ids, {}))).toContain("input 'x' must be float32 or float64, got int32");
    expect(graph.addOp('cast', ids, { to: 'float32' }).dtype).toBe('float32');
    expect(graph.addOp('argMax', [graph.addOp('cast', ids, { to: 'float32' }).id], { axis: 0, keepDims: false }).dtype).toBe('int32');
  });

  it('every op documents its attributes, shape rule and VJP', () => {
    for (const name of OP_NAMES) {
      const def = OPS[name];
      expect(def.name).toBe(name);
      expect(def.doc.summary.length, name).toBeGreaterThan(10);
      expect(def.doc.shape.length, name).toBeGreaterThan(5);
      expect(def.doc.vjp.length, name).toBeGreaterThan(3);
    }
  });
});
