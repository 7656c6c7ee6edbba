/**
 * A continuous x axis for the few n (or r) values a study runs: log scale when
 * they span a decade (the paper's n doubles or halves), ticks exactly at the
 * values run, and a padded domain so end points and their error bars are not
 * cut by the panel edge.
 */
export interface PositionAxis {
  readonly log: boolean;
  readonly domain: readonly [number, number];
  readonly ticks: readonly number[];
  /**
   * Where series `index` of `count` draws a point at `value`: nudged sideways
   * by a small fixed share of the axis, so the error bars of several methods
   * at the same n stay visible instead of hiding each other.
   */
  place(value: number, index: number, count: number): number;
}

/** Sideways nudge between neighbouring series, as a share of the axis length. */
const DODGE = 0.022;
const PAD = 0.09;

export function positionAxis(values: readonly number[]): PositionAxis {
  const ticks = [...new Set(values.filter((v) => Number.isFinite(v)))].sort((a, b) => a - b);
  const min = ticks[0] ?? 1;
  const max = ticks[ticks.length - 1] ?? 1;
  const log = min > 0 && max / min >= 10;
  const to = (v: number): number => (log ? Math.log10(v) : v);
  const from = (t: number): number => (log ? 10 ** t : t);
  let lo = to(min);
  let hi = to(max);
  if (hi === lo) {
    // One value: a window around it, wide enough to show the dodge.
    const half = Math.abs(lo) * 0.25 || 0.5;
    lo -= half;
    hi += half;
  } else {
    const pad = (hi - lo) * PAD;
    lo -= pad;
    hi += pad;
  }
  const span = hi - lo;
  return {
    log,
    domain: [from(lo), from(hi)],
    ticks,
    place: (value, index, count) => from(to(value) + span * DODGE * (index - (count - 1) / 2)),
  };
}
