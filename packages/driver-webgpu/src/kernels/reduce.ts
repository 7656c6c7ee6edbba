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
      const rows = rowsLayout(reduced.shape, reduced.strides[0]!, kept.strides[0]!);
      const tree = `  partial[t] = acc;
  workgroupBarrier();
  for (var half = ${WORKGROUP / 2}u; half > 0u; half = half >> 1u) {
    if (t < half) {
      let v = partial[t + half];
      let a = partial[t];
      partial[t] = ${reduction.combine('a', 'v', type)};
    }
    workgroupBarrier();
  }
  if (t == 0u) { y[o] = partial[0]; }`;
      const open = `var<workgroup> partial: array<${type}, ${WORKGROUP}>;
@compute @workgroup_size(${WORKGROUP})
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) t: u32) {
  let o = wid.x + wid.y * prm(1u);
  if (o >= prm(0u)) { return; }
  let base = stridedOffset(o, prm(2u), 4u, 12u);
  var acc = bitcast<${type}>(prm(37u));`;
      let body: string;
      let extra: number[] = [];
      if (rows) {
        // The reduced values are rows of a contiguous run (BatchNorm's statistics: N rows of H*W): read four
        // at a time as vec4, four loads in flight per thread, a division per vec4 instead of a strided walk per value.
        const lane = (a: string, v: string): string => `vec4<${type}>(${['x', 'y', 'z', 'w'].map((c) => reduction.combine(`${a}.${c}`, `${v}.${c}`, type)).join(', ')})`;
        const at = (q: string): string => `x[base4 + (${q} / prm(38u)) * prm(39u) + ${q} % prm(38u)]`;
        body = `${open}
  let base4 = base / 4u;
  let total = prm(40u);
  var a0 = vec4<${type}>(acc); var a1 = a0; var a2 = a0; var a3 = a0;
  var q = t;
  for (; q + ${3 * WORKGROUP}u < total; q = q + ${4 * WORKGROUP}u) {
    let v0 = ${at('q')}; let v1 = ${at(`(q + ${WORKGROUP}u)`)}; let v2 = ${at(`(q + ${2 * WORKGROUP}u)`)}; let v3 = ${at(`(q + ${3 * WORKGROUP}u)`)};
    a0 = ${lane('a0', 'v0')}; a1 = ${lane('a1', 'v1')}; a2 = ${lane('a2', 'v2')}; a3 = ${lane('a3', 'v3')};
  }
  for (; q < total; q = q + ${WORKGROUP}u) { let v0 = ${at('q')}; a0 = ${lane('a0', 'v0')}; }
  a0 = ${lane('a0', 'a1')}; a2 = ${lane('a2', 'a3')}; a0 = ${lane('a0', 'a2')};
  let h0 = a0.x; let h1 = a0.y; let h2 = a0.z; let h3 = a0.w;
  let h01 = ${reduction.combine('h0', 'h1', type)}; let h23 = ${reduction.combine('h2', 'h3', type)};
  acc = ${reduction.combine('h01', 'h23', type)};
${tree}
}
`;
        extra = [rows.rowVec4s, rows.rowStride4, rows.total4];
      } else {
        body = `${open}
  for (var r = t; r < prm(36u); r = r + ${WORKGROUP}u) {
    let v = x[base + stridedOffset(r, prm(3u), 20u, 28u)];
    acc = ${reduction.combine('acc', 'v', type)};
  }
${tree}
}
`;
      }
      const vecHead = `${prelude()}${storage('x', 1, `vec4<${type}>`, 'read')}${storage('y', 2, type, 'read_write')}${STRIDED_OFFSET}${type === 'f32' ? IS_NAN : ''}`;
      dispatch = {
        kernel: op,
        shader: `${rows ? vecHead : head}${body}`,
        access: ['read', 'write'],
        buffers: [{ kind: 'input', index: 0 }, { kind: 'output' }],
        params: [outputs, gx, kept.shape.length, reduced.shape.length, ...shape, ...extra],
        workgroups: outputs === 0 ? [0, 1, 1] : [gx, Math.ceil(outputs / gx), 1],
      };
    }
    return { kind: 'dispatch', dispatches: [dispatch] };
  };
}

export type ReduceOp = Extract<OpName, 'reduceSum' | 'reduceMax'>;

/**
 * The reduced values of one output as rows of vec4: reduced axes merged to at
 * most [rows, run] with the run contiguous and a multiple of 4, and every row
 * and every output starting on a multiple of 4 elements. Counts are in vec4s.
 */
function rowsLayout(dims: readonly number[], strides: readonly number[], keptStrides: readonly number[]): { rowVec4s: number; rowStride4: number; total4: number } | undefined {
  if (dims.length === 0 || dims.length > 2 || strides.at(-1) !== 1 || dims.at(-1)! % 4 !== 0) return undefined;
  if (!keptStrides.every((s) => s % 4 === 0)) return undefined;
  const rowStride = dims.length === 2 ? strides[0]! : 0;
  if (rowStride % 4 !== 0) return undefined;
  const rowVec4s = dims.at(-1)! / 4;
  return { rowVec4s, rowStride4: rowStride / 4, total4: rowVec4s * (dims.length === 2 ? dims[0]! : 1) };
}
