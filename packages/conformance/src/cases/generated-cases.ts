import type { Attrs, OpCase, OpCaseTensor, OpName } from '@ltssl/core';
import { CaseData } from './case-data.js';

/** A generated case: inputs and attributes only; the float64 reference supplies the expected value. */
export interface GeneratedCase {
  readonly op: OpName;
  readonly name: string;
  readonly attrs: Attrs;
  readonly inputs: readonly OpCaseTensor[];
}

export function asOpCase(c: GeneratedCase, expected: OpCaseTensor): OpCase {
  return { name: c.name, attrs: c.attrs, inputs: c.inputs, expected };
}

const BINARY_SHAPES: readonly [string, number[], number[]][] = [
  ['vector-by-size1', [5], [1]],
  ['column-by-row', [3, 1], [1, 4]],
  ['trailing', [2, 3, 5], [5]],
  ['rank-extend', [1], [2, 1, 3]],
  ['nchw-channel', [2, 3, 4, 5], [1, 3, 1, 1]],
  ['scalar', [], [7]],
  ['both-sides-odd', [4, 1, 3], [4, 5, 1]],
];

/** (name, x shape, w shape, strides, pads) covering strides, paddings, odd and size-1 dims. */
export const CONV_VARIANTS: readonly [string, number[], number[], number[], number[]][] = [
  ['k1-s1-p0', [2, 3, 4, 5], [4, 3, 1, 1], [1, 1], [0, 0, 0, 0]],
  ['k3-s2-p1-odd', [1, 2, 9, 7], [3, 2, 3, 3], [2, 2], [1, 1, 1, 1]],
  ['rect-kernel-mixed-stride-asym-pad', [2, 2, 6, 5], [2, 2, 2, 3], [1, 2], [0, 1, 2, 0]],
  ['one-in-channel', [3, 1, 5, 5], [5, 1, 3, 3], [1, 1], [1, 1, 1, 1]],
  ['one-out-channel', [1, 5, 4, 4], [1, 5, 3, 3], [1, 1], [0, 0, 0, 0]],
  ['k1-s3', [1, 2, 7, 7], [2, 2, 1, 1], [3, 3], [0, 0, 0, 0]],
];

export function convOutput(x: number[], w: number[], strides: number[], pads: number[]): number[] {
  return [x[0]!, w[0]!, Math.floor((x[2]! + pads[0]! + pads[2]! - w[2]!) / strides[0]!) + 1, Math.floor((x[3]! + pads[1]! + pads[3]! - w[3]!) / strides[1]!) + 1];
}

/**
 * Cases generated for every op: broadcasting in each direction, size-1 and odd
 * sizes, every attribute form (negative axes, keepDims, transpose flags,
 * strides and asymmetric pads), and int32 where the op takes it.
 */
export function generatedCases(seed = 1): GeneratedCase[] {
  const d = new CaseData(seed);
  const cases: GeneratedCase[] = [];
  const add = (op: OpName, name: string, inputs: OpCaseTensor[], attrs: Attrs = {}): void => {
    cases.push({ op, name, inputs, attrs });
  };

  add('constant', 'fill-rank3', [], { dtype: 'float64', shape: [3, 1, 2], value: -0.75 });
  add('constant', 'values-odd', [], { dtype: 'float64', shape: [1, 5], value: [0.5, -1, 2, 3.25, 7] });
  add('constant', 'int32-fill', [], { dtype: 'int32', shape: [2, 2], value: 9 });

  const unaryShapes = [[1], [7], [3, 1, 5], [2, 3, 5, 7]];
  for (const shape of unaryShapes) {
    const tag = `shape-${shape.join('x')}`;
    add('neg', tag, [d.normal(shape)]);
    add('exp', tag, [d.normal(shape)]);
    add('log', tag, [d.uniform(shape, 0.05, 5)]);
    add('sqrt', tag, [d.uniform(shape, 0.01, 9)]);
    add('relu', tag, [d.signed(shape, 0.01, 3)]);
    add('stopGradient', tag, [d.normal(shape)]);
  }
  add('neg', 'int32', [d.ints([2, 3], -50, 50)]);
  add('cast', 'float-to-int32', [d.normal([3, 5], 10)], { to: 'int32' });
  add('cast', 'int32-to-float', [d.ints([7], -1000, 1000)], { to: 'float64' });
  add('cast', 'float-to-float', [d.normal([2, 3])], { to: 'float64' });

  for (const [name, a, b] of BINARY_SHAPES) {
    add('add', name, [d.normal(a), d.normal(b)]);
    add('sub', name, [d.normal(a), d.normal(b)]);
    add('mul', name, [d.normal(a), d.normal(b)]);
    add('div', name, [d.normal(a), d.signed(b, 0.25, 3)]);
    add('maximum', name, [d.normal(a), d.normal(b)]);
    add('greater', name, [d.grid(a, 0.5, 0), d.grid(b, 0.5, 0)]);
    add('equal', name, [d.grid(a, 1, 0), d.grid(b, 1, 0)]);
  }
  for (const op of ['add', 'sub', 'mul', 'maximum', 'greater', 'equal'] as const) {
    add(op, 'int32-broadcast', [d.ints([3, 1], -9, 9), d.ints([1, 4], -9, 9)]);
  }

  const reductions: [string, number[], number[], boolean][] = [
    ['vector', [7], [0], false],
    ['size1-axis-keep', [3, 1, 5], [1], true],
    ['nchw-stats-keep', [2, 3, 5, 7], [0, 2, 3], true],
    ['channel-axis', [2, 3, 5, 7], [1], false],
    ['negative-axis', [3, 5], [-1], false],
  ];
  for (const [name, shape, axes, keepDims] of reductions) {
    add('reduceSum', name, [d.normal(shape)], { axes, keepDims });
    add('reduceMax', name, [d.normal(shape)], { axes, keepDims });
  }
  add('reduceSum', 'int32', [d.ints([4, 3], -9, 9)], { axes: [0, 1], keepDims: false });
  add('argMax', 'vector', [d.normal([7])], { axis: 0, keepDims: false });
  add('argMax', 'middle-axis', [d.normal([3, 5, 2])], { axis: 1, keepDims: false });
  add('argMax', 'last-axis-keep', [d.normal([2, 3, 5, 7])], { axis: -1, keepDims: true });

  add('reshape', 'merge', [d.normal([2, 3, 5])], { shape: [6, 5] });
  add('reshape', 'flatten', [d.normal([2, 3, 5])], { shape: [30] });
  add('reshape', 'infer', [d.normal([2, 3, 5])], { shape: [5, -1, 2] });
  add('reshape', 'row-to-column', [d.normal([1, 7])], { shape: [7, 1] });
  add('transpose', 'swap-leading', [d.normal([2, 3, 5])], { perm: [1, 0, 2] });
  add('transpose', 'reverse', [d.normal([2, 3, 5])], { perm: [2, 1, 0] });
  add('transpose', 'nchw-to-nhwc', [d.normal([2, 3, 4, 5])], { perm: [0, 2, 3, 1] });
  add('transpose', 'nhwc-to-nchw', [d.normal([2, 4, 5, 3])], { perm: [0, 3, 1, 2] });
  add('transpose', 'row-vector', [d.normal([1, 7])], { perm: [1, 0] });
  add('broadcastTo', 'size1-to-matrix', [d.normal([1])], { shape: [3, 4] });
  add('broadcastTo', 'column-to-rank3', [d.normal([3, 1])], { shape: [2, 3, 5] });
  add('broadcastTo', 'channel-to-nchw', [d.normal([1, 3, 1, 1])], { shape: [2, 3, 4, 5] });
  add('slice', 'vector', [d.normal([7])], { begin: [2], size: [3] });
  add('slice', 'rank3', [d.normal([4, 5, 6])], { begin: [1, 0, 3], size: [2, 5, 3] });
  add('slice', 'whole', [d.normal([3, 4])], { begin: [0, 0], size: [3, 4] });
  add('slice', 'last-row', [d.normal([6, 2])], { begin: [5, 0], size: [1, 2] });
  add('pad', 'vector', [d.normal([3])], { pads: [[2, 1]] });
  add('pad', 'nchw-asymmetric', [d.normal([2, 3, 4, 5])], { pads: [[0, 0], [0, 0], [1, 2], [2, 1]] });
  add('pad', 'size1', [d.normal([1, 1])], { pads: [[0, 3], [1, 0]] });
  add('concat', 'axis0-odd', [d.normal([1, 3]), d.normal([4, 3])], { axis: 0 });
  add('concat', 'four-axis1', [d.normal([2, 1]), d.normal([2, 3]), d.normal([2, 1]), d.normal([2, 2])], { axis: 1 });
  add('concat', 'nchw-channels', [d.normal([2, 3, 2, 2]), d.normal([2, 1, 2, 2])], { axis: 1 });
  add('concat', 'int32-last-axis', [d.ints([2, 2], -5, 5), d.ints([2, 3], -5, 5)], { axis: -1 });

  for (const [m, k, n] of [[1, 1, 1], [7, 3, 5], [1, 9, 1], [5, 1, 6]] as const) {
    for (const transposeA of [false, true]) {
      for (const transposeB of [false, true]) {
        const a = d.normal(transposeA ? [k, m] : [m, k]);
        const b = d.normal(transposeB ? [n, k] : [k, n]);
        add('matmul', `${m}x${k}x${n}-${transposeA ? 'T' : 'N'}${transposeB ? 'T' : 'N'}`, [a, b], { transposeA, transposeB });
      }
    }
  }

  for (const [name, x, w, strides, pads] of CONV_VARIANTS) {
    const y = convOutput(x, w, strides, pads);
    add('conv2d', name, [d.normal(x), d.normal(w)], { strides, pads });
    add('conv2dBackpropInput', name, [d.normal(y), d.normal(w)], { strides, pads, inputShape: x });
    add('conv2dBackpropFilter', name, [d.normal(x), d.normal(y)], { strides, pads, filterShape: w });
  }
  return cases;
}
