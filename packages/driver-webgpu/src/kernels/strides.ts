import { ERROR_CODES, LtsslError } from '@ltssl/core';
import { MAX_RANK } from './wgsl.js';

/** Row-major strides of a shape. */
export function rowMajorStrides(shape: readonly number[]): number[] {
  const strides = new Array<number>(shape.length);
  let s = 1;
  for (let d = shape.length - 1; d >= 0; d--) {
    strides[d] = s;
    s *= shape[d]!;
  }
  return strides;
}

/** Strides of `from` read as `to` under NumPy broadcasting: 0 on broadcast axes and new leading axes. */
export function broadcastStrides(from: readonly number[], to: readonly number[]): number[] {
  const own = rowMajorStrides(from);
  const lead = to.length - from.length;
  return to.map((dim, d) => (d < lead || from[d - lead] === 1 ? 0 : own[d - lead]!));
}

/**
 * Merges axes that every operand steps through contiguously (and drops size-1
 * axes), so a broadcast add over NCHW with a [1,C,1,1] bias indexes 3 axes, not
 * 4, and a same-shape add indexes 1: fewer divisions per element.
 */
export function mergeAxes(shape: readonly number[], strides: readonly (readonly number[])[]): { shape: number[]; strides: number[][] } {
  const keep = shape.map((dim) => dim !== 1);
  let dims = shape.filter((_, d) => keep[d]);
  let st = strides.map((s) => s.filter((_, d) => keep[d]));
  for (let d = dims.length - 2; d >= 0; d--) {
    if (st.every((s) => s[d] === s[d + 1]! * dims[d + 1]!)) {
      dims = [...dims.slice(0, d), dims[d]! * dims[d + 1]!, ...dims.slice(d + 2)];
      st = st.map((s) => [...s.slice(0, d), s[d + 1]!, ...s.slice(d + 2)]);
    }
  }
  return { shape: dims, strides: st };
}

/** Pads a list to MAX_RANK words, or refuses a rank the strided kernels cannot index. */
export function rankWords(kernel: string, values: readonly number[], fill = 0): number[] {
  if (values.length > MAX_RANK) {
    throw new LtsslError(ERROR_CODES.opNotImplemented, `Op '${kernel}' not implemented by driver 'webgpu' for rank ${values.length} after merging contiguous axes (at most ${MAX_RANK})`);
  }
  return [...values, ...new Array<number>(MAX_RANK - values.length).fill(fill)];
}
