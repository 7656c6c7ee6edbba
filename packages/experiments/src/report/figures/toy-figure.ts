import type { TopLevelSpec } from 'vega-lite';
import type { AccuracyRow } from '../../study/aggregate.js';
import { count, rawStats } from '../format.js';
import { sortMetrics } from '../metric-label.js';
import type { FigurePlan, PointDatum } from './figure-plan.js';
import { FIGURE_CONFIG, PANEL, seriesLabel, seriesScales, type Palette } from './figure-style.js';
import { positionAxis } from './position-axis.js';
import { seriesLayers } from './series-layers.js';

/**
 * The toy model of docs/paper.md's theory section: each metric its cells carry
 * (e.g. 'e2.share', 'rare.accuracy') in its own panel with its own y scale,
 * against r (or against n when r is one value), one series per arm
 * ('toy-ssl', 'toy-sl'; split by n when one r ran at several n), ±1 std over seeds.
 * Values are drawn raw: toy metrics are not all accuracies.
 */
/**
 * The toy metrics worth a panel: how much of e2 the representation keeps and
 * what that buys the rare class. Training diagnostics (loss, margin, train
 * accuracy, the theory value) stay in the report's tables.
 */
export const TOY_FIGURE_METRICS = ['toy.e2Ratio', 'toy.e2Share', 'toy.rare', 'toy.probe'];

export function toyFigure(allRows: readonly AccuracyRow[], palette: Palette): FigurePlan | undefined {
  const headline = allRows.filter((r) => TOY_FIGURE_METRICS.includes(r.metric));
  // Cells of another toy design draw every metric they carry.
  const rows = headline.length > 0 ? headline : allRows;
  if (rows.length === 0) return undefined;
  const byR = new Set(rows.map((r) => r.r)).size > 1 || new Set(rows.map((r) => r.n)).size === 1;
  // The toy sweep's n follows from r (2N + floor(N r)), so n splits the series only where one r was run at several n.
  const sizesAt = new Map<number, Set<number>>();
  for (const r of rows) sizesAt.set(r.r, (sizesAt.get(r.r) ?? new Set<number>()).add(r.n));
  const splitByN = byR && [...sizesAt.values()].some((sizes) => sizes.size > 1);
  const label = (r: AccuracyRow): string => seriesLabel(r.method, r.family, splitByN ? `, n=${r.n}` : '');
  const scales = seriesScales(rows.map((r) => ({ family: r.family, label: label(r) })), palette);
  const axis = positionAxis(rows.map((r) => (byR ? r.r : r.n)));
  const metrics = sortMetrics(rows.map((r) => r.metric));
  const values: PointDatum[] = rows.map((r) => {
    const at = byR ? r.r : r.n;
    const description = `${label(r)}, n=${r.n}, r=${r.r}: ${r.metric} ${rawStats(r.stats)} (${count(r.stats.seeds, 'seed')})`;
    return { series: label(r), panel: r.metric, x: axis.place(at, scales.index.get(label(r))!, scales.domain.length), at, mean: r.stats.mean, lo: r.stats.mean - r.stats.std, hi: r.stats.mean + r.stats.std, seeds: r.stats.seeds, description };
  });
  const xTitle = byR ? 'imbalance ratio r' : 'training set size n';
  const title = `Toy model: ${metrics.join(', ')} vs ${byR ? 'r' : 'n'}`;
  const spec = {
    title: { text: title, subtitle: 'docs/paper.md, theory section; mean ± 1 std over seeds; one panel per metric, each with its own y scale' },
    config: FIGURE_CONFIG,
    data: { values },
    facet: { field: 'panel', type: 'nominal', title: null, sort: metrics, header: { labelOrient: 'top' } },
    columns: 2,
    spec: { ...PANEL, layer: seriesLayers({ axis, xTitle, xFormat: byR ? '~g' : ',d', yTitle: 'value', yFormat: '~g', zero: false, scales, legendTitle: 'arm' }) },
    resolve: { scale: { y: 'independent' } },
  } as unknown as TopLevelSpec;
  return {
    name: 'toy',
    title,
    caption:
      `The toy model's metrics (${metrics.join(', ')}) against ${byR ? 'the imbalance ratio r' : 'the training set size n'}, one panel per metric with its own y scale, ` +
      `one series per arm${splitByN ? ' and n' : ''} (SSL circles, SL squares); bars are ±1 std over seeds; points at the same x are nudged sideways${axis.log ? `; ${byR ? 'r' : 'n'} on a log scale` : ''}.`,
    spec,
    points: values.length,
  };
}
