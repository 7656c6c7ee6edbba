import type { Shape } from '@ltssl/core';

/**
 * A physical layout of a tensor: physical axis k holds logical axis perm[k].
 * The identity is the IR's own layout (NCHW for images, OIHW for filters).
 */
export type Perm = readonly number[];

export const identity = (rank: number): Perm => Array.from({ length: rank }, (_, i) => i);

/** NCHW images held as NHWC, the layout tfjs's convolutions take. */
export const NHWC: Perm = [0, 2, 3, 1];
/** OIHW filters held as HWIO ([KH, KW, C, O]), tfjs's filter layout. */
export const HWIO: Perm = [2, 3, 1, 0];

export function isIdentity(perm: Perm): boolean {
  return perm.every((a, i) => a === i);
}

export function permKey(perm: Perm): string {
  return perm.join(',');
}

export function samePerm(a: Perm, b: Perm): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

export function invert(perm: Perm): number[] {
  const inverse = new Array<number>(perm.length);
  perm.forEach((a, k) => (inverse[a] = k));
  return inverse;
}

/** The shape of the tensor as stored in layout `perm`. */
export function physicalShape(shape: Shape, perm: Perm): number[] {
  return perm.map((a) => shape[a]!);
}

/** A lower-rank operand of a broadcasting op, seen at rank `rank`: leading size-1 axes, as NumPy aligns it. */
export function paddedShape(shape: Shape, rank: number): number[] {
  return [...new Array<number>(rank - shape.length).fill(1), ...shape];
}

/** `perm` of a rank-r tensor seen with `rank - r` leading size-1 axes added (they lead physically too). */
export function paddedPerm(perm: Perm, rank: number): number[] {
  const d = rank - perm.length;
  return [...identity(d), ...perm.map((a) => a + d)];
}

/** The logical axes of size > 1 in physical order: two layouts with the same sequence share one memory order. */
function bigAxes(shape: Shape, perm: Perm): number[] {
  return perm.filter((a) => shape[a]! !== 1);
}

/**
 * True when a tensor of this logical shape has the same row-major memory in
 * both layouts (only size-1 axes move), so converting is a free reshape.
 */
export function sameMemory(shape: Shape, from: Perm, to: Perm): boolean {
  const a = bigAxes(shape, from);
  const b = bigAxes(shape, to);
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

/**
 * How to bring a value held in layout `from` (logical shape `shape`) into
 * layout `to` of rank `to.length` >= its rank (broadcast padding included):
 * a free reshape when memory order agrees, else a reshape to the padded rank
 * followed by one transpose.
 */
export type Conversion =
  | { readonly kind: 'reshape'; readonly shape: number[] }
  | { readonly kind: 'transpose'; readonly padShape: number[]; readonly perm: number[]; readonly shape: number[] };

export function conversion(shape: Shape, from: Perm, to: Perm): Conversion {
  const rank = to.length;
  const logical = paddedShape(shape, rank);
  const source = paddedPerm(from, rank);
  const target = physicalShape(logical, to);
  if (sameMemory(logical, source, to)) return { kind: 'reshape', shape: target };
  // Physical axis k of the result is logical axis to[k], found at physical position source.indexOf(to[k]).
  return { kind: 'transpose', padShape: physicalShape(logical, source), perm: to.map((a) => source.indexOf(a)), shape: target };
}

/** Elements a conversion moves: 0 for a free reshape. */
export function conversionCost(shape: Shape, from: Perm, to: Perm): number {
  if (sameMemory(paddedShape(shape, to.length), paddedPerm(from, to.length), to)) return 0;
  return shape.reduce((n, d) => n * d, 1);
}
