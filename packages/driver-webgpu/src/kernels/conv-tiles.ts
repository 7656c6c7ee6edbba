import type { NodeId, Program } from '@ltssl/core';
import { convShapeOf, type ConvShape } from './conv-geometry.js';
import { CONV_TILE_TABLE } from './conv-tile-table.js';

/** The three convolution kernels, each an implicit GEMM (conv-gemm.ts). */
export type ConvKind = 'conv2d' | 'conv2dBackpropInput' | 'conv2dBackpropFilter';

/**
 * One workgroup's share of an implicit GEMM: a bm x bn output tile, K staged
 * bk deep in workgroup memory, each thread holding a tm x tn block of outputs
 * in registers (so (bm/tm) * (bn/tn) threads). `split` (filter gradient only)
 * cuts K across that many workgroups; 0 chooses from the grid size.
 */
export interface ConvTile {
  readonly bm: number;
  readonly bn: number;
  readonly bk: number;
  readonly tm: number;
  readonly tn: number;
  readonly split?: number;
}

/** The table a tuning run fills: tiles by layer key (convTileKey), with where and when it was measured. */
export interface ConvTileTable {
  /** The adapter the times came from, or why there are none. */
  readonly device: string;
  /** ISO date of the measurement, or null for a table not measured yet. */
  readonly measured: string | null;
  readonly entries: Readonly<Record<string, ConvTile>>;
}

/** Workgroup memory the kernels may use (the driver requests 16 KiB: WebGPU's default). */
export const TILE_WORKGROUP_BYTES = 16384;
/** Invocations per workgroup the driver requests. */
export const TILE_MAX_THREADS = 256;

/** Used when the table has no entry for a layer: the 64x64 tile with 4x4 per thread, 16 deep. */
export const DEFAULT_CONV_TILE: ConvTile = { bm: 64, bn: 64, bk: 16, tm: 4, tn: 4 };

export function threadsOf(t: ConvTile): number {
  return (t.bm / t.tm) * (t.bn / t.tn);
}

/** Why a tile cannot run, or undefined: shapes the generator needs and the device limits the driver requests. */
export function tileProblem(t: ConvTile): string | undefined {
  const pow2 = (v: number): boolean => Number.isInteger(v) && v > 0 && (v & (v - 1)) === 0;
  if (![t.bm, t.bn, t.bk, t.tm, t.tn].every(pow2)) return 'every size must be a power of two';
  if (t.tm < 4 || t.tn < 4 || t.tm > 8 || t.tn > 8) return 'tm and tn must be 4 or 8 (vec4 accumulators)';
  if (t.bm < t.tm * 4 || t.bn < t.tn * 4) return 'bm >= 4 tm and bn >= 4 tn';
  if (t.bk < 4 || t.bk > 32) return 'bk must be 4 to 32';
  const threads = threadsOf(t);
  if (threads > TILE_MAX_THREADS || threads < 32) return `${threads} threads per workgroup (32 to ${TILE_MAX_THREADS})`;
  if ((t.bm * t.bk) % threads !== 0 || (t.bn * t.bk) % threads !== 0) return 'each thread must load a whole number of elements of each tile';
  // Both tiles, each row padded by one vec4 (a tile loaded along k would otherwise hit one memory bank).
  const bytes = (t.bm + 4 + t.bn + 4) * t.bk * 4;
  if (bytes > TILE_WORKGROUP_BYTES) return `${bytes} bytes of workgroup memory (at most ${TILE_WORKGROUP_BYTES})`;
  return undefined;
}

/** The key a layer's tile is stored under: the kind and every size the kernel's speed depends on. */
export function convTileKey(kind: ConvKind, s: ConvShape): string {
  return `${kind} n${s.batch} c${s.channels} ${s.height}x${s.width} o${s.outChannels} k${s.kernelH}x${s.kernelW} s${s.strideH}x${s.strideW} p${s.padTop}x${s.padLeft}`;
}

/** The table's tile for a layer, else the default. A table entry that cannot run is an error naming it. */
export function convTileFor(kind: ConvKind, s: ConvShape, table: ConvTileTable = CONV_TILE_TABLE): ConvTile {
  const key = convTileKey(kind, s);
  const tile = table.entries[key] ?? DEFAULT_CONV_TILE;
  const problem = tileProblem(tile);
  if (problem) throw new Error(`webgpu conv tile table (${table.device}): entry '${key}' ${JSON.stringify(tile)} cannot run: ${problem}`);
  return tile;
}

/** The tiles a tuning run tries (the quick sweep a few of them): every one passes tileProblem. */
export function candidateTiles(quick: boolean): ConvTile[] {
  const all: ConvTile[] = [];
  for (const [bm, bn] of [[32, 32], [32, 64], [64, 32], [64, 64], [64, 128], [128, 64], [128, 128]] as const)
    for (const bk of [8, 16, 32])
      for (const [tm, tn] of [[4, 4], [4, 8], [8, 4], [8, 8]] as const) {
        const t: ConvTile = { bm, bn, bk, tm, tn };
        if (!tileProblem(t)) all.push(t);
      }
  if (!quick) return all;
  const pick = (t: ConvTile): boolean => (t.bm === 64 && t.bn === 64 && t.tm === 4 && t.tn === 4 && t.bk !== 32) || (t.bm === 32 && t.bn === 32 && t.bk === 16 && t.tm === 4 && t.tn === 4);
  return all.filter(pick);
}

/** One convolution node of a program, with the key its tile is stored under. */
export interface ConvLayer {
  readonly node: NodeId;
  readonly kind: ConvKind;
  readonly shape: ConvShape;
  readonly key: string;
}

/** Every convolution of a program (a training step's forward and both gradients): the layers a tuning run sweeps. */
export function convLayers(program: Program): ConvLayer[] {
  const layers: ConvLayer[] = [];
  for (const node of program.graph.nodes) {
    if (node.kind !== 'op' || (node.op !== 'conv2d' && node.op !== 'conv2dBackpropInput' && node.op !== 'conv2dBackpropFilter')) continue;
    const attrs = node.attrs as { strides: readonly number[]; pads: readonly number[] };
    const shape = convShapeOf(node.op, node.inputs.map((i) => program.graph.node(i).shape), node.shape, attrs.strides, attrs.pads);
    layers.push({ node: node.id, kind: node.op, shape, key: convTileKey(node.op, shape) });
  }
  return layers;
}
