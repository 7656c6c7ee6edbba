import type { Perm } from '../layout/perm.js';

/**
 * A reduction over logical `axes` of a value held in layout `perm` runs over
 * the physical axes holding them; no transpose. The output keeps the order of
 * the remaining axes: with keepDims the same layout, else the induced one.
 */
export function reduceLayout(perm: Perm, axes: readonly number[], keepDims: boolean): { axes: number[]; output: Perm } {
  const physical = axes.map((a) => perm.indexOf(a)).sort((a, b) => a - b);
  if (keepDims) return { axes: physical, output: perm };
  const kept = perm.filter((a) => !axes.includes(a));
  return { axes: physical, output: kept.map((a) => a - axes.filter((r) => r < a).length) };
}
