import type { ConvTile } from './conv-tiles.js';
import { threadsOf } from './conv-tiles.js';
import { SPLIT_SUM } from './gemm.js';
import type { BufferRef, Dispatch, KernelPlan } from './kernel.js';
import { elementGrid, MAX_GRID, prelude, storage } from './wgsl.js';

/**
 * How a K tile of one operand is staged into workgroup memory: which index
 * neighbouring threads load (the one contiguous in memory, for coalescing).
 * - 'outer': along m (or n); each thread keeps one outer index for the whole
 *   K loop, so its address arithmetic is done once, before the loop;
 * - 'k': along k; every element a thread loads shares one k offset per tile;
 * - 'k4': along k, four consecutive k as one vec4 load (the operand is bound as vec4).
 */
export type TileMapping = 'outer' | 'k' | 'k4';

/** One GEMM operand as a convolution reads it. Hooks return WGSL; `s` suffixes a thread's hoisted names. */
export interface TileOperand {
  readonly buffer: BufferRef;
  readonly mapping: TileMapping;
  /** Statements before the K loop for outer index `o`: the address parts that do not change with k. */
  readonly setup: (o: string, s: string) => string;
  /** Statements once per K tile for the thread's k offset `kl` ('k' and 'k4'). */
  readonly perTile?: (kl: string) => string;
  /** Statements assigning `v` (f32, or vec4<f32> for 'k4'), left 0 outside the operand; only run for outer < M (N). */
  readonly load: (o: string, kl: string, s: string) => string;
}

/** Where C[m, n] goes: row-major [M, N] (which allows splitting K), or a convolution's own layout. */
export type GemmStore = { readonly kind: 'rowMajor' } | { readonly kind: 'custom'; readonly setup: (n: string, s: string) => string; readonly valid: (s: string) => string; readonly write: (m: string, v: string, s: string) => string };

/**
 * An implicit GEMM C[M, N] = sum over K tiles of A[m, k] B[k, n] whose K loop
 * walks `tile` from tBegin to tEnd (set by zSetup), each tile bk deep: a
 * convolution iterates channel blocks and filter taps, so the per-element
 * index arithmetic of an im2col read happens once per tile, not per element.
 */
export interface ImplicitGemm {
  readonly kernel: string;
  readonly M: number;
  readonly N: number;
  readonly tile: ConvTile;
  /** Helper functions (the convolution's geometry accessors). */
  readonly helpers: string;
  /** Grid z: phases of a strided transposed convolution, or 1 (K splits are added by the engine). */
  readonly z: number;
  /** Statements at kernel start with `zi` = wid.z: define `tBegin` and `tEnd` and anything per z. Omitted: the engine's K split over tiles. */
  readonly zSetup?: string;
  /** K tiles in all (for the split). */
  readonly tiles: number;
  /** Statements per K tile, given `tile`. */
  readonly tileSetup: string;
  readonly a: TileOperand;
  readonly b: TileOperand;
  readonly store: GemmStore;
  /** Split K across this many workgroups (row-major stores only). */
  readonly splits: number;
  /** Words 4..7 of the uniform (kernel-specific counts). */
  readonly aux: readonly number[];
  /** Words from 8 on: the convolution's geometry. */
  readonly params: readonly number[];
}

/** Code that stages one operand's K tile: hoisted setups (returned first) and the per-tile loads. */
function stage(which: 'a' | 'b', op: TileOperand, rows: number, t: ConvTile): { hoisted: string; perTile: string } {
  const threads = threadsOf(t);
  const tileName = which === 'a' ? 'As' : 'Bs';
  const outerBase = which === 'a' ? 'm0' : 'n0';
  const bound = which === 'a' ? 'M' : 'N';
  const width = op.mapping === 'k4' ? t.bk / 4 : t.bk;
  const elements = (rows * width) / threads;
  if (!Number.isInteger(elements) || elements < 1) throw new Error(`webgpu conv tile ${JSON.stringify(t)}: ${which} tile does not split evenly over ${threads} threads`);
  const hoisted: string[] = [];
  const body: string[] = [];
  const kShared = op.mapping !== 'outer';
  if (kShared) {
    // Every element of this thread has k offset kl (threads % width == 0: threads and bk are powers of two, threads >= 32).
    const kl = op.mapping === 'k4' ? `(t % ${width}u) * 4u` : `t % ${width}u`;
    body.push(`    let ${which}Kl = ${kl};`, op.perTile?.(`${which}Kl`) ?? '');
  }
  for (let e = 0; e < elements; e++) {
    const s = `${which}${e}`;
    const [ol, kl] =
      op.mapping === 'outer'
        ? threads % rows === 0
          ? [`t % ${rows}u`, `t / ${rows}u + ${(e * threads) / rows}u`]
          : [`(t + ${e * threads}u) % ${rows}u`, `(t + ${e * threads}u) / ${rows}u`]
        : [`t / ${width}u + ${(e * threads) / width}u`, `${which}Kl`];
    hoisted.push(`  let ${s}Ol = ${ol};`, `  let ${s}O = ${outerBase} + ${s}Ol;`, op.setup(`${s}O`, s));
    const zero = op.mapping === 'k4' ? 'vec4<f32>(0.0)' : '0.0';
    const stores =
      op.mapping === 'k4'
        ? [0, 1, 2, 3].map((j) => `${tileName}[${s}Kl + ${j}u][${s}Ol >> 2u][${s}Ol & 3u] = v[${j}];`).join(' ')
        : `${tileName}[${s}Kl][${s}Ol >> 2u][${s}Ol & 3u] = v;`;
    body.push(`    {`, `      let ${s}Kl = ${kl};`, `      var v = ${zero};`, `      if (${s}O < ${bound}) {`, op.load(`${s}O`, `${s}Kl`, s), `      }`, `      ${stores}`, `    }`);
  }
  return { hoisted: hoisted.join('\n'), perTile: body.join('\n') };
}

function shader(g: ImplicitGemm, split: boolean): string {
  const t = g.tile;
  const wx = t.bn / t.tn;
  const wy = t.bm / t.tm;
  // Rows of a tile loaded along k are padded by one vec4, so neighbouring threads write different memory banks.
  const padA = g.a.mapping === 'outer' ? 0 : 1;
  const padB = g.b.mapping === 'outer' ? 0 : 1;
  const a = stage('a', g.a, t.bm, t);
  const b = stage('b', g.b, t.bn, t);
  const rows: [number, number][] = [];
  for (let i4 = 0; i4 < t.tm / 4; i4++) for (let ii = 0; ii < 4; ii++) rows.push([i4, ii]);
  const cols = Array.from({ length: t.tn / 4 }, (_, j4) => j4);
  const acc = (i4: number, ii: number, j4: number): string => `acc${i4 * 4 + ii}_${j4}`;
  const lane = ['x', 'y', 'z', 'w'];
  const inner = [
    ...Array.from({ length: t.tm / 4 }, (_, i4) => `      let av${i4} = As[kk][${i4 * wy}u + lid.y];`),
    ...cols.map((j4) => `      let bv${j4} = Bs[kk][${j4 * wx}u + lid.x];`),
    ...rows.flatMap(([i4, ii]) => cols.map((j4) => `      ${acc(i4, ii, j4)} = fma(vec4<f32>(av${i4}.${lane[ii]}), bv${j4}, ${acc(i4, ii, j4)});`)),
  ].join('\n');
  const zSetup = g.zSetup ?? '  let tBegin = zi * prm(3u);\n  let tEnd = min(prm(2u), tBegin + prm(3u));';
  const colName = (j4: number, jj: number): string => `s${j4}_${jj}`;
  const storeSetup: string[] = [];
  for (const j4 of cols)
    for (let jj = 0; jj < 4; jj++) {
      const s = colName(j4, jj);
      storeSetup.push(`  let ${s}N = n0 + (${j4 * wx}u + lid.x) * 4u + ${jj}u;`);
      if (g.store.kind === 'custom') storeSetup.push(g.store.setup(`${s}N`, s));
    }
  const write = (m: string, v: string, s: string): string =>
    g.store.kind === 'custom' ? `if (${g.store.valid(s)}) { ${g.store.write(m, v, s)} }` : `if (${s}N < N) { c[${split ? 'zi * M * N + ' : ''}${m} * N + ${s}N] = ${v}; }`;
  const stores = rows
    .map(([i4, ii]) => {
      const m = `m0 + (${i4 * wy}u + lid.y) * 4u + ${ii}u`;
      const writes = cols.flatMap((j4) => [0, 1, 2, 3].map((jj) => `    ${write('sm', `${acc(i4, ii, j4)}.${lane[jj]}`, colName(j4, jj))}`));
      return `  {\n    let sm = ${m};\n    if (sm < M) {\n${writes.join('\n')}\n    }\n  }`;
    })
    .join('\n');
  return `${prelude()}${storage('a', 1, g.a.mapping === 'k4' ? 'vec4<f32>' : 'f32', 'read')}${storage('b', 2, 'f32', 'read')}${storage('c', 3, 'f32', 'read_write')}
${g.helpers}
var<workgroup> As: array<array<vec4<f32>, ${t.bm / 4 + padA}>, ${t.bk}>;
var<workgroup> Bs: array<array<vec4<f32>, ${t.bn / 4 + padB}>, ${t.bk}>;

// ${t.bm}x${t.bn} outputs per workgroup of ${wx}x${wy} threads, ${t.tm}x${t.tn} per thread in registers; K staged ${t.bk} deep.
// A thread's rows are 4 at a time, ${wy * 4} apart; its columns likewise ${wx * 4} apart: vec4 reads of the tiles
// without bank conflicts, and neighbouring threads store neighbouring outputs.
@compute @workgroup_size(${wx}, ${wy}, 1)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_id) lid: vec3<u32>, @builtin(local_invocation_index) t: u32) {
  let M = prm(0u);
  let N = prm(1u);
  let m0 = wid.y * ${t.bm}u;
  let n0 = wid.x * ${t.bn}u;
  let zi = wid.z;
${zSetup}
${a.hoisted}
${b.hoisted}
${rows.flatMap(([i4, ii]) => cols.map((j4) => `  var ${acc(i4, ii, j4)} = vec4<f32>(0.0);`)).join('\n')}
  for (var tile = tBegin; tile < tEnd; tile = tile + 1u) {
${g.tileSetup}
${a.perTile}
${b.perTile}
    workgroupBarrier();
    for (var kk = 0u; kk < ${t.bk}u; kk = kk + 1u) {
${inner}
    }
    workgroupBarrier();
  }
${storeSetup.join('\n')}
${stores}
}
`;
}

/** The dispatches of an implicit GEMM: one tiled pass, or with K split, partial passes into scratch and a sum. */
export function implicitGemmPlan(g: ImplicitGemm): KernelPlan {
  const tilesN = Math.ceil(g.N / g.tile.bn);
  const tilesM = Math.ceil(g.M / g.tile.bm);
  if (tilesN > MAX_GRID || tilesM > MAX_GRID) throw new Error(`webgpu kernel '${g.kernel}': a ${g.M}x${g.N} output needs more than ${MAX_GRID} tiles along one axis`);
  const splits = g.store.kind === 'rowMajor' ? Math.max(1, Math.min(g.splits, g.tiles)) : 1;
  const perSplit = Math.max(1, Math.ceil(g.tiles / splits));
  const used = Math.max(1, Math.ceil(g.tiles / perSplit));
  const aux = [...g.aux, 0, 0, 0, 0].slice(0, 4);
  const params = [g.M, g.N, g.tiles, perSplit, ...aux, ...g.params];
  const empty = g.M === 0 || g.N === 0;
  const access = ['read', 'read', 'write'] as const;
  if (used === 1) {
    return { kind: 'dispatch', dispatches: [{ kernel: g.kernel, shader: shader(g, false), access, buffers: [g.a.buffer, g.b.buffer, { kind: 'output' }], params, workgroups: empty ? [0, 1, 1] : [tilesN, tilesM, g.z] }] };
  }
  const sum = elementGrid(g.M * g.N);
  const partial: Dispatch = { kernel: g.kernel, shader: shader(g, true), access, buffers: [g.a.buffer, g.b.buffer, { kind: 'scratch', index: 0 }], params, workgroups: [tilesN, tilesM, used] };
  const reduce: Dispatch = { kernel: `${g.kernel} split-K sum`, shader: SPLIT_SUM, access: ['read', 'write'], buffers: [{ kind: 'scratch', index: 0 }, { kind: 'output' }], params: [g.M * g.N, sum.params[1], used], workgroups: sum.workgroups };
  return { kind: 'dispatch', dispatches: [partial, reduce], scratchBytes: [used * g.M * g.N * 4] };
}

/**
 * How many workgroups share K when the output has few tiles: enough for about
 * `target` workgroups in all, each keeping at least 8 K tiles.
 */
export function autoSplits(outputTiles: number, kTiles: number, target = 256): number {
  if (outputTiles >= target / 2 || kTiles < 16) return 1;
  return Math.max(1, Math.min(Math.ceil(target / outputTiles), Math.floor(kTiles / 8), 64));
}
