import type { PositionAxis } from './position-axis.js';

type Layer = Record<string, unknown>;

/**
 * The layers every series figure shares, inside one facet panel: a line
 * through each series' means, ±1 std error bars, and the points on top (shape
 * by family). `x` is the nudged position; ticks sit at the true values.
 */
/** The x encoding of a series figure: the nudged position on the axis's scale, ticks at the true values. */
export function positionEncoding(axis: PositionAxis, title: string, format: string): Layer {
  return {
    field: 'x',
    type: 'quantitative',
    title,
    // vega-lite warns about (and drops) `zero` on a log scale, so only the linear one says it.
    scale: axis.log ? { type: 'log', domain: [...axis.domain], nice: false } : { type: 'linear', domain: [...axis.domain], nice: false, zero: false },
    axis: { values: [...axis.ticks], format, labelOverlap: true, grid: true },
  };
}

/**
 * The y axis format of every series figure: a d3 format type without a
 * precision ('%', '~g'), so the precision follows the tick step and
 * neighbouring ticks never read the same (66.4% 66.6%, not 66% 66% 67%).
 */
export type AutoPrecisionFormat = '%' | '~g';

export function seriesLayers(options: {
  readonly axis: PositionAxis;
  readonly xTitle: string;
  readonly xFormat: string;
  readonly yTitle: string;
  readonly yFormat: AutoPrecisionFormat;
  /** Whether the y scale must include 0 (Delta: yes, 0 is "no loss"; accuracy: no). */
  readonly zero: boolean;
  readonly scales: { readonly domain: readonly string[]; readonly color: readonly string[]; readonly shape: readonly string[] };
  readonly legendTitle: string;
  readonly filter?: string;
}): Layer[] {
  const { axis, scales } = options;
  const x = positionEncoding(axis, options.xTitle, options.xFormat);
  const color = { field: 'series', type: 'nominal', title: options.legendTitle, scale: { domain: [...scales.domain], range: [...scales.color] } };
  const y = { field: 'mean', type: 'quantitative', title: options.yTitle, scale: { zero: options.zero, nice: true }, axis: { format: options.yFormat } };
  const transform = options.filter ? [{ filter: options.filter }] : [];
  // x and colour sit in each layer, not in a shared encoding, so other layers of the panel (the random-init floor) span the whole width.
  return [
    // Lines and bars are hidden from screen readers; each point reads out its own description (true n, mean ± std, seeds).
    { transform, mark: { type: 'line', strokeWidth: 1.6, opacity: 0.85, aria: false }, encoding: { x, y, color, order: { field: 'x', type: 'quantitative' } } },
    { transform, mark: { type: 'errorbar', ticks: { size: 7 }, thickness: 1.4, aria: false }, encoding: { x, y: { field: 'lo', type: 'quantitative', title: options.yTitle }, y2: { field: 'hi' }, color } },
    {
      transform,
      mark: { type: 'point', filled: true, size: 46, opacity: 1, stroke: 'white', strokeWidth: 0.6 },
      encoding: {
        x,
        y,
        color,
        shape: { field: 'series', type: 'nominal', title: options.legendTitle, scale: { domain: [...scales.domain], range: [...scales.shape] } },
        description: { field: 'description', type: 'nominal' },
      },
    },
  ];
}
