import { PARAM_WORDS } from '../gpu/gpu-constants.js';

/** Threads per workgroup of the element-wise, layout and reduction kernels. */
export const WORKGROUP = 256;
/** WebGPU's guaranteed maximum workgroups per grid dimension. */
export const MAX_GRID = 65535;
/** The highest rank the strided kernels index (after merging contiguous axes). */
export const MAX_RANK = 8;

/**
 * Every shader starts with this: the dispatch's parameters as a uniform array
 * of u32 words (shapes, strides, counts), read with prm(i). Shapes are never
 * baked into shader text, so one pipeline serves every shape.
 */
export function prelude(): string {
  return `struct Params { v: array<vec4<u32>, ${PARAM_WORDS / 4}> }
@group(0) @binding(0) var<uniform> u: Params;
fn prm(i: u32) -> u32 { return u.v[i >> 2u][i & 3u]; }
fn prmi(i: u32) -> i32 { return bitcast<i32>(u.v[i >> 2u][i & 3u]); }
`;
}

/** Binding declarations for storage buffers 1..n. */
export function storage(name: string, binding: number, type: string, access: 'read' | 'read_write'): string {
  return `@group(0) @binding(${binding}) var<storage, ${access}> ${name}: array<${type}>;\n`;
}

/**
 * A 1-D range of n threads as a 2-D grid of WORKGROUP-wide groups (x up to
 * 65535): params[0] = n, params[1] = threads per grid row. The shader's index
 * is g.x + g.y * prm(1).
 */
export function elementGrid(n: number, perGroup = WORKGROUP): { params: [number, number]; workgroups: [number, number, number] } {
  const groups = Math.ceil(n / perGroup);
  if (groups === 0) return { params: [0, 0], workgroups: [0, 1, 1] };
  const x = Math.min(groups, MAX_GRID);
  return { params: [n, x * perGroup], workgroups: [x, Math.ceil(groups / x), 1] };
}

/** The element-wise entry point: `body` sees `i`, the element index, already bounds-checked. */
export function elementMain(body: string): string {
  return `@compute @workgroup_size(${WORKGROUP})
fn main(@builtin(global_invocation_id) g: vec3<u32>) {
  let i = g.x + g.y * prm(1u);
  if (i >= prm(0u)) { return; }
${body}
}
`;
}

/**
 * WGSL for the offset of element `i` of a row-major box of `rank` dims (params
 * from D) into a tensor read through strides (params from S). Loops run to the
 * rank at run time: one pipeline for every rank up to MAX_RANK.
 */
export const STRIDED_OFFSET = `fn stridedOffset(i: u32, rank: u32, D: u32, S: u32) -> u32 {
  var rem = i;
  var off = 0u;
  for (var d = rank; d > 0u; d = d - 1u) {
    let dim = prm(D + d - 1u);
    off = off + (rem % dim) * prm(S + d - 1u);
    rem = rem / dim;
  }
  return off;
}
`;

/**
 * NaN tests by bit pattern: WGSL lets compilers assume floats are never NaN, so
 * `x != x` may be folded away; the bits cannot be.
 */
export const IS_NAN = `fn isNan(x: f32) -> bool { return (bitcast<u32>(x) & 0x7fffffffu) > 0x7f800000u; }
`;

/** Packs parameters, checking the count against the uniform's size. */
export function packParams(kernel: string, words: readonly number[]): number[] {
  if (words.length > PARAM_WORDS) throw new Error(`webgpu kernel '${kernel}': ${words.length} parameter words, the uniform holds ${PARAM_WORDS}`);
  return [...words];
}
