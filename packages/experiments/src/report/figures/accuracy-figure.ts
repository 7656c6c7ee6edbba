import type { TopLevelSpec } from 'vega-lite';
import type { AccuracyRow, SeedStats } from '../../study/aggregate.js';
import { metricLabel, metricSlug } from '../metric-label.js';
import { count, percent, percentStats } from '../format.js';
import { panelOfR } from './delta-figure.js';
import type { FigurePlan, PointDatum } from './figure-plan.js';
import { FIGURE_CONFIG, PANEL, seriesLabel, seriesScales, type Palette } from './figure-style.js';
import { positionAxis } from './position-axis.js';
import { seriesLayers } from './series-layers.js';

/**
 * Accuracy A(n, r) vs n for one metric of the imbalance protocol, one panel
 * per r (1 first), SSL and SL methods as series, and the random-init encoder's
 * accuracy as a grey line with a ±1 std band in every panel: the floor a
 * representation's gain is measured from. Undefined when no trained method has
 * the metric.
 */
export function accuracyFigure(rows: readonly AccuracyRow[], metric: string, floor: SeedStats | undefined, palette: Palette): FigurePlan | undefined {
  const picked = rows.filter((r) => r.metric === metric && r.family !== 'random');
  if (picked.length === 0) return undefined;
  const scales = seriesScales(picked.map((r) => ({ family: r.family, label: seriesLabel(r.method, r.family) })), palette);
  const axis = positionAxis(picked.map((r) => r.n));
  const ratios = [...new Set(picked.map((r) => r.r))].sort((a, b) => b - a);
  const points: (PointDatum & { kind: 'point' })[] = picked.map((r) => {
    const label = seriesLabel(r.method, r.family);
    const description = `${label}, n=${r.n}, r=${r.r}: A ${percentStats(r.stats)}% (${count(r.stats.seeds, 'seed')})`;
    return { kind: 'point', series: label, panel: panelOfR(r.r), x: axis.place(r.n, scales.index.get(label)!, scales.domain.length), at: r.n, mean: r.stats.mean, lo: r.stats.mean - r.stats.std, hi: r.stats.mean + r.stats.std, seeds: r.stats.seeds, description };
  });
  // One floor row per panel: a facet's layers all read the facet's data, so the floor rides in it, marked by `kind`.
  const floors = floor ? ratios.map((r) => ({ kind: 'floor', panel: panelOfR(r), mean: floor.mean, lo: floor.mean - floor.std, hi: floor.mean + floor.std, label: `random init ${percent(floor.mean)}%` })) : [];
  const series = seriesLayers({ axis, xTitle: 'pre-training set size n', xFormat: ',d', yTitle: 'accuracy A(n, r)', yFormat: '%', zero: false, scales, legendTitle: 'method (arm)', filter: "datum.kind === 'point'" });
  const floorLayers = floor
    ? [
        { transform: [{ filter: "datum.kind === 'floor'" }], mark: { type: 'rect', color: '#9a9a9a', opacity: 0.18 }, encoding: { y: { field: 'lo', type: 'quantitative' }, y2: { field: 'hi' } } },
        { transform: [{ filter: "datum.kind === 'floor'" }], mark: { type: 'rule', color: '#6f6f6f', strokeDash: [5, 3], strokeWidth: 1.4 }, encoding: { y: { field: 'mean', type: 'quantitative' } } },
        {
          transform: [{ filter: "datum.kind === 'floor'" }],
          mark: { type: 'text', align: 'left', baseline: 'bottom', dx: 4, dy: -3, fontSize: 10, color: '#555' },
          encoding: { x: { value: 0 }, y: { field: 'mean', type: 'quantitative' }, text: { field: 'label' } },
        },
      ]
    : [];
  const title = `Accuracy A(n, r): ${metricLabel(metric)} (${metric})`;
  const spec = {
    title: { text: title, subtitle: `mean ± 1 std over seeds${floor ? '; dashed grey: the random-init encoder (band ±1 std)' : ''}` },
    config: FIGURE_CONFIG,
    data: { values: [...points, ...floors] },
    facet: { column: { field: 'panel', type: 'nominal', title: null, sort: ratios.map(panelOfR), header: { labelOrient: 'top' } } },
    spec: { ...PANEL, layer: [...floorLayers, ...series] },
  } as unknown as TopLevelSpec;
  return {
    name: `accuracy-${metricSlug(metric)}`,
    title,
    caption:
      `Accuracy of ${metric} (${metricLabel(metric)}) against the pre-training set size n, one panel per imbalance ratio r (r = 1 is balanced). ` +
      `Colour and shape by method (SSL circles, SL squares); bars are ±1 std over seeds. ` +
      (floor ? `The dashed grey line is the random-init encoder of the same architecture (${percent(floor.mean)}% ± ${percent(floor.std)}, ${floor.seeds} ${floor.seeds === 1 ? 'seed' : 'seeds'}), the floor of every gain. ` : 'No random-init cell: no floor drawn. ') +
      `Points at the same n are nudged sideways${axis.log ? '; n on a log scale' : ''}.`,
    spec,
    points: points.length,
  };
}
