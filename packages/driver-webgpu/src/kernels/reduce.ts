import { sizeOf, type OpName, type ReduceAttrs } from '@ltssl/core';
import { wgslType, type Dispatch, type Kernel } from './kernel.js';
import { mergeAxes, rankWords, rowMajorStrides } from './strides.js';
import { elementGrid, elementMain, IS_NAN, MAX_GRID, prelude, storage, STRIDED_OFFSET, WORKGROUP } from './wgsl.js';

/** Up to this many terms one thread sums an output alone; above it a workgroup shares the terms. */
export const SERIAL_TERMS = 128;

export interface Reduction {
  /**
   * The bits of the accumulator's start value (0, or -Infinity / the least i32
   * for a maximum), passed as parameter word 37: WGSL refuses -Infinity as a
   * constant, and a uniform is not folded.
   */
  readonly identityBits: (type: 'f32' | 'i32') => number;
  /** WGSL combining accumulator `acc` with value `v`. */
  readonly combine: (acc: string, v: string, type: 'f32' | 'i32') => string;
}

/**
 * Sums (or maxes) over any set of axes without a transpose: output element o
 * starts at an offset from the kept axes' strides, term r adds one from the
 * reduced axes' strides. Each group of axes is merged where contiguous.
 * Parameters: outputs, row width, kept rank, reduced rank, kept dims[8],
 * kept strides[8], reduced dims[8], reduced strides[8], terms, identity bits.
 *
 * Few terms (softmax over classes): one thread per output. Many (BatchNorm's
 * statistics over N, H, W): one workgroup per output, 256 threads striding
 * over the terms, then a tree in workgroup memory, which also sums float32
 * more accurately than one long running sum.
 */
export function reduceKernel<K extends 'reduceSum' | 'reduceMax'>(op: K, reduction: Reduction): Kernel<K> {
  return ({ node, inputs, output }) => {
    const x = inputs[0]!;
    const type = wgslType(x.dtype);
    const axes = new Set((node.attrs as unknown as ReduceAttrs).axes);
    const strides = rowMajorStrides(x.shape);
    const keptDims = x.shape.filter((_, d) => !axes.has(d));
    const kept = mergeAxes(keptDims, [strides.filter((_, d) => !axes.has(d))]);
    const reduced = mergeAxes(x.shape.filter((_, d) => axes.has(d)), [strides.filter((_, d) => axes.has(d))]);
    const outputs = sizeOf(output.shape);
    const terms = x.shape.filter((_, d) => axes.has(d)).reduce((p, dim) => p * dim, 1);
    const shape = [...rankWords(op, kept.shape, 1), ...rankWords(op, kept.strides[0]!), ...rankWords(op, reduced.shape, 1), ...rankWords(op, reduced.strides[0]!), terms, reduction.identityBits(type)];
    const head = `${prelude()}${storage('x', 1, type, 'read')}${storage('y', 2, type, 'read_write')}${STRIDED_OFFSET}${type === 'f32' ? IS_NAN : ''}`;
    let dispatch: Dispatch;
    if (terms <= SERIAL_TERMS) {
      const grid = elementGrid(outputs);
      const body = `  let base = stridedOffset(i, prm(2u), 4u, 12u);
  var acc = bitcast<${type}>(prm(37u));
  for (var r = 0u; r < prm(36u); r = r + 1u) {
    let v = x[base + stridedOffset(r, prm(3u), 20u, 28u)];
    acc = ${reduction.combine('acc', 'v', type)};
  }
  y[i] = acc;`;
      dispatch = { kernel: op, shader: `${head}${elementMain(body)}`, access: ['read', 'write'], buffers: [{ kind: 'input', index: 0 }, { kind: 'output' }], params: [...grid.params, kept.shape.length, reduced.shape.length, ...shape], workgroups: grid.workgroups };
    } else {
      const gx = Math.min(outputs, MAX_GRID);
      const body = `var<workgroup> partial: array<${type}, ${WORKGROUP}>;
@compute @workgroup_size(${WORKGROUP})
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) t: u32) {
  let o = wid.x + wid.y * prm(1u);
  if (o >= prm(0u)) { return; }
  let base = stridedOffset(o, prm(2u), 4u, 12u);
  var acc = bitcast<${type}>(prm(37u));
  for (var r = t; r < prm(36u); r = r + ${WORKGROUP}u) {
    let v = x[base + stridedOffset(r, prm(3u), 20u, 28u)];
    acc = ${reduction.combine('acc', 'v', type)};
  }
  partial[t] = acc;
  workgroupBarrier();
  for (var half = ${WORKGROUP / 2}u; half > 0u; half = half >> 1u) {
    if (t < half) {
      let v = partial[t + half];
      let a = partial[t];
      partial[t] = ${reduction.combine('a', 'v', type)};
    }
    workgroupBarrier();
  }
  if (t == 0u) { y[o] = partial[0]; }
}
`;
      dispatch = {
        kernel: op,
        shader: `${head}${body}`,
        access: ['read', 'write'],
        buffers: [{ kind: 'input', index: 0 }, { kind: 'output' }],
        params: [outputs, gx, kept.shape.length, reduced.shape.length, ...shape],
        workgroups: outputs === 0 ? [0, 1, 1] : [gx, Math.ceil(outputs / gx), 1],
      };
    }
    return { kind: 'dispatch', dispatches: [dispatch] };
  };
}

export type ReduceOp = Extract<OpName, 'reduceSum' | 'reduceMax'>;
