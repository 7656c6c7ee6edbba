import type { TopLevelSpec } from 'vega-lite';

/** A figure to render: its vega-lite spec and the words around it. */
export interface FigurePlan {
  /** File stem, kebab-case: 'delta-id-linear' gives figures/delta-id-linear.svg and .png. */
  readonly name: string;
  readonly title: string;
  /** What is drawn and how to read it (error bars, panels, nudges). */
  readonly caption: string;
  readonly spec: TopLevelSpec;
  /** Points drawn (one per series, panel and x); what a test counts in the SVG. */
  readonly points: number;
}

/** One drawn point: a series' mean at one x of one panel, with its ±1 std bar. */
export interface PointDatum {
  readonly series: string;
  readonly panel: string;
  /** Position on the axis, nudged per series (position-axis.ts); `at` is the true value. */
  readonly x: number;
  readonly at: number;
  readonly mean: number;
  readonly lo: number;
  readonly hi: number;
  readonly seeds: number;
  /** What a screen reader says for the point (its aria-label), with the true x, not the nudged one. */
  readonly description: string;
}
