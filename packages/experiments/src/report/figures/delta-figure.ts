import type { TopLevelSpec } from 'vega-lite';
import type { DeltaRow, SeedStats } from '../../study/aggregate.js';
import { count, percentStats } from '../format.js';
import { metricLabel, metricSlug } from '../metric-label.js';
import type { FigurePlan, PointDatum } from './figure-plan.js';
import { FIGURE_CONFIG, PANEL, seriesLabel, seriesScales, type Palette } from './figure-style.js';
import { positionAxis } from './position-axis.js';
import { seriesLayers } from './series-layers.js';

/** Delta itself (docs/paper.md), or Delta over the gain from random init (the share of that gain lost). */
export type DeltaMeasure = 'delta' | 'normalizedDelta';

const WORDS: Readonly<Record<DeltaMeasure, { stem: string; title: string; axis: string; formula: string }>> = {
  delta: { stem: 'delta', title: 'Δ(n, r)', axis: 'Δ(n, r): relative accuracy lost', formula: 'Δ(n, r) = (A(n, 1) − A(n, r)) / A(n, 1)' },
  normalizedDelta: {
    stem: 'normalized-delta',
    title: 'Normalised Δ(n, r)',
    axis: 'share of the gain over random init lost',
    formula: '(A(n, 1) − A(n, r)) / (A(n, 1) − A_random)',
  },
};

export const panelOfR = (r: number): string => `r = ${r}`;

/**
 * The paper's Figures 1 (in domain) and 2 (out of domain) for one metric:
 * Delta vs n, one panel per r < 1, SSL and SL methods as coloured series,
 * error bars ±1 std over seeds. Undefined when no row has the measure.
 */
export function deltaFigure(rows: readonly DeltaRow[], metric: string, measure: DeltaMeasure, palette: Palette): FigurePlan | undefined {
  const picked = rows.filter((r) => r.metric === metric && r[measure] !== undefined) as (DeltaRow & Record<DeltaMeasure, SeedStats>)[];
  if (picked.length === 0) return undefined;
  const words = WORDS[measure];
  const scales = seriesScales(picked.map((r) => ({ family: r.family, label: seriesLabel(r.method, r.family) })), palette);
  const axis = positionAxis(picked.map((r) => r.n));
  const ratios = [...new Set(picked.map((r) => r.r))].sort((a, b) => b - a);
  const values: PointDatum[] = picked.map((r) => {
    const label = seriesLabel(r.method, r.family);
    const s = r[measure];
    const description = `${label}, n=${r.n}, r=${r.r}: ${words.title.replace('(n, r)', '')} ${percentStats(s)}% (${count(s.seeds, 'seed')})`;
    return { series: label, panel: panelOfR(r.r), x: axis.place(r.n, scales.index.get(label)!, scales.domain.length), at: r.n, mean: s.mean, lo: s.mean - s.std, hi: s.mean + s.std, seeds: s.seeds, description };
  });
  const title = `${words.title}: ${metricLabel(metric)} (${metric})`;
  const spec = {
    title: { text: title, subtitle: `${words.formula}; mean ± 1 std over seeds; lower is more robust` },
    config: FIGURE_CONFIG,
    data: { values },
    facet: { column: { field: 'panel', type: 'nominal', title: null, sort: ratios.map(panelOfR), header: { labelOrient: 'top' } } },
    spec: {
      ...PANEL,
      layer: seriesLayers({ axis, xTitle: 'pre-training set size n', xFormat: ',d', yTitle: words.axis, yFormat: '%', zero: true, scales, legendTitle: 'method (arm)' }),
    },
  } as unknown as TopLevelSpec;
  return {
    name: `${words.stem}-${metricSlug(metric)}`,
    title,
    caption:
      `${words.formula} for ${metric} (${metricLabel(metric)}) against the pre-training set size n, one panel per imbalance ratio r < 1. ` +
      `Colour and shape by method (SSL circles, SL squares); bars are ±1 std over seeds (seed counts in the Δ table); ` +
      `points at the same n are nudged sideways so their bars stay visible${axis.log ? '; n on a log scale' : ''}.`,
    spec,
    points: values.length,
  };
}
