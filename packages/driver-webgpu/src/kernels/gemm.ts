import type { BufferRef, Dispatch, KernelPlan } from './kernel.js';
import { elementGrid, elementMain, MAX_GRID, prelude, storage } from './wgsl.js';

/** Output tile of one workgroup (TILE x TILE), and the K depth staged per step in workgroup memory. */
export const TILE = 64;
export const TILE_K = 16;

/**
 * A GEMM C[M,N] = A[M,K] B[K,N] whose operands are read through WGSL
 * functions, so matmul (with either transpose) and the three convolutions
 * (implicit GEMM: the im2col matrix is never stored) share one tiled engine.
 */
export interface GemmProblem {
  /** Named in errors ('conv2d'). */
  readonly kernel: string;
  readonly M: number;
  readonly N: number;
  readonly K: number;
  /** The input buffers bound as a (binding 1) and b (binding 2). */
  readonly a: BufferRef;
  readonly b: BufferRef;
  /**
   * WGSL `fn loadA(m: u32, k: u32) -> f32` (or with `aVec4`, `fn loadA4(m: u32, k: u32) -> vec4<f32>`
   * returning 4 elements along the contiguous index); called only in bounds.
   */
  readonly loadA: string;
  readonly loadB: string;
  /** Which index of A (B) is contiguous in memory: neighbouring threads load neighbouring elements. */
  readonly aMajor: 'm' | 'k';
  readonly bMajor: 'k' | 'n';
  /** a (b) is bound as array<vec4<f32>> and loaded 4 elements at a time along its major index. */
  readonly aVec4?: boolean;
  readonly bVec4?: boolean;
  /**
   * WGSL `fn storeC(m: u32, n: u32, v: f32)` writing c. Omitted: C is row-major [M, N],
   * which also allows splitting K across workgroups.
   */
  readonly store?: string;
  /** Problem parameters from word 8 on, read by the load and store functions with prm(8u + i). */
  readonly params?: readonly number[];
}

/**
 * How many workgroups share K: with few output tiles and a long K (a filter
 * gradient sums over N*H'*W' = 131072 terms into a 64x576 output, 9 tiles)
 * one workgroup per tile would leave most of a GPU idle. Partial products go
 * to a scratch buffer and one more pass sums them.
 */
export function splitCount(M: number, N: number, K: number): number {
  const tiles = Math.ceil(M / TILE) * Math.ceil(N / TILE);
  if (tiles >= 64 || K < 1024) return 1;
  return Math.max(1, Math.min(Math.ceil(128 / tiles), Math.floor(K / 256), 64));
}

function loadTile(matrix: 'A' | 'B', major: 'outer' | 'k', vec4: boolean): string {
  const [tile, load, outer, bound] = matrix === 'A' ? ['As', 'loadA', 'm', 'M'] : ['Bs', 'loadB', 'n', 'N'];
  const args = matrix === 'A' ? `${outer}, k` : `k, ${outer}`;
  const set = (o: string, k: string, v: string): string => `${tile}[${k}][${o} >> 2u][${o} & 3u] = ${v};`;
  if (vec4 && major === 'k') {
    // 64 rows x 16 k: thread t loads k..k+3 of row t/4.
    return `  {
    let ol = t >> 2u; let kl = (t & 3u) * 4u;
    let ${outer} = ${outer}0 + ol; let k = k0 + kl;
    var v = vec4<f32>(0.0);
    if (${outer} < ${bound} && k < kEnd) { v = ${load}4(${args}); }
    ${set('ol', 'kl', 'v.x')} ${set('ol', 'kl + 1u', 'v.y')} ${set('ol', 'kl + 2u', 'v.z')} ${set('ol', 'kl + 3u', 'v.w')}
  }
`;
  }
  if (vec4) {
    // 16 k x 64 rows: thread t loads rows 4(t%16)..+3 of k = t/16.
    return `  {
    let kl = t >> 4u; let ol = (t & 15u) * 4u;
    let ${outer} = ${outer}0 + ol; let k = k0 + kl;
    var v = vec4<f32>(0.0);
    if (${outer} < ${bound} && k < kEnd) { v = ${load}4(${args}); }
    ${tile}[kl][ol >> 2u] = v;
  }
`;
  }
  const split = major === 'k' ? 'let ol = e >> 4u; let kl = e & 15u;' : 'let kl = e >> 6u; let ol = e & 63u;';
  return `  for (var r = 0u; r < 4u; r = r + 1u) {
    let e = t + r * 256u;
    ${split}
    let ${outer} = ${outer}0 + ol; let k = k0 + kl;
    var v = 0.0;
    if (${outer} < ${bound} && k < kEnd) { v = ${load}(${args}); }
    ${set('ol', 'kl', 'v')}
  }
`;
}

function gemmShader(p: GemmProblem, split: boolean): string {
  const store = split ? `fn storeC(m: u32, n: u32, v: f32) { c[wz * M * N + m * N + n] = v; }\n` : (p.store ?? `fn storeC(m: u32, n: u32, v: f32) { c[m * N + n] = v; }\n`);
  return `${prelude()}${storage('a', 1, p.aVec4 ? 'vec4<f32>' : 'f32', 'read')}${storage('b', 2, p.bVec4 ? 'vec4<f32>' : 'f32', 'read')}${storage('c', 3, 'f32', 'read_write')}
var<private> M: u32;
var<private> N: u32;
var<private> wz: u32;
${p.loadA}
${p.loadB}
${store}
// A as [k][m], B as [k][n], four consecutive rows per vec4, so the inner loop
// reads one vec4 of each per k and does 16 multiply-adds.
var<workgroup> As: array<array<vec4<f32>, ${TILE / 4}>, ${TILE_K}>;
var<workgroup> Bs: array<array<vec4<f32>, ${TILE / 4}>, ${TILE_K}>;

@compute @workgroup_size(16, 16, 1)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_id) lid: vec3<u32>, @builtin(local_invocation_index) t: u32) {
  M = prm(0u);
  N = prm(1u);
  wz = wid.z;
  let kBegin = wid.z * prm(3u);
  let kEnd = min(prm(2u), kBegin + prm(3u));
  let m0 = wid.y * ${TILE}u;
  let n0 = wid.x * ${TILE}u;
  var acc0 = vec4<f32>(0.0);
  var acc1 = vec4<f32>(0.0);
  var acc2 = vec4<f32>(0.0);
  var acc3 = vec4<f32>(0.0);
  for (var k0 = kBegin; k0 < kEnd; k0 = k0 + ${TILE_K}u) {
${loadTile('A', p.aMajor === 'k' ? 'k' : 'outer', p.aVec4 === true)}${loadTile('B', p.bMajor === 'k' ? 'k' : 'outer', p.bVec4 === true)}    workgroupBarrier();
    for (var kk = 0u; kk < ${TILE_K}u; kk = kk + 1u) {
      let av = As[kk][lid.y];
      let bv = Bs[kk][lid.x];
      acc0 = fma(vec4<f32>(av.x), bv, acc0);
      acc1 = fma(vec4<f32>(av.y), bv, acc1);
      acc2 = fma(vec4<f32>(av.z), bv, acc2);
      acc3 = fma(vec4<f32>(av.w), bv, acc3);
    }
    workgroupBarrier();
  }
  let acc = array<vec4<f32>, 4>(acc0, acc1, acc2, acc3);
  for (var i = 0u; i < 4u; i = i + 1u) {
    let m = m0 + lid.y * 4u + i;
    if (m < M) {
      for (var j = 0u; j < 4u; j = j + 1u) {
        let n = n0 + lid.x * 4u + j;
        if (n < N) { storeC(m, n, acc[i][j]); }
      }
    }
  }
}
`;
}

/** Sums the K slices of a split GEMM: c[i] = sum over z of part[z * n + i]. */
export const SPLIT_SUM = `${prelude()}${storage('part', 1, 'f32', 'read')}${storage('c', 2, 'f32', 'read_write')}${elementMain(`  var s = 0.0;
  for (var z = 0u; z < prm(2u); z = z + 1u) { s = s + part[z * prm(0u) + i]; }
  c[i] = s;`)}`;

/** The dispatches of a GEMM: one tiled pass, or with K split, partial passes and a sum. */
export function gemmPlan(p: GemmProblem): KernelPlan {
  const { M, N, K } = p;
  const tilesN = Math.ceil(N / TILE);
  const tilesM = Math.ceil(M / TILE);
  if (tilesN > MAX_GRID || tilesM > MAX_GRID) throw new Error(`webgpu kernel '${p.kernel}': a ${M}x${N} output needs more than ${MAX_GRID} tiles along one axis`);
  const splits = p.store === undefined ? splitCount(M, N, K) : 1;
  const chunk = Math.ceil(K / splits / TILE_K) * TILE_K || TILE_K;
  const used = Math.max(1, Math.ceil(K / chunk));
  const params = [M, N, K, chunk, used, 0, 0, 0, ...(p.params ?? [])];
  const empty = M === 0 || N === 0;
  const access = ['read', 'read', 'write'] as const;
  if (used === 1) {
    return { kind: 'dispatch', dispatches: [{ kernel: p.kernel, shader: gemmShader(p, false), access, buffers: [p.a, p.b, { kind: 'output' }], params, workgroups: empty ? [0, 1, 1] : [tilesN, tilesM, 1] }] };
  }
  const sum = elementGrid(M * N);
  const partial: Dispatch = { kernel: p.kernel, shader: gemmShader(p, true), access, buffers: [p.a, p.b, { kind: 'scratch', index: 0 }], params, workgroups: [tilesN, tilesM, used] };
  const reduce: Dispatch = { kernel: `${p.kernel} split-K sum`, shader: SPLIT_SUM, access: ['read', 'write'], buffers: [{ kind: 'scratch', index: 0 }, { kind: 'output' }], params: [M * N, sum.params[1], used], workgroups: sum.workgroups };
  return { kind: 'dispatch', dispatches: [partial, reduce], scratchBytes: [used * M * N * 4] };
}
