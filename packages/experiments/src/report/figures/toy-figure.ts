import type { TopLevelSpec } from 'vega-lite';
import type { AccuracyRow } from '../../study/aggregate.js';
import { count, rawStats } from '../format.js';
import { sortMetrics } from '../metric-label.js';
import type { FigurePlan, PointDatum } from './figure-plan.js';
import { FIGURE_CONFIG, PANEL, seriesLabel, seriesScales, type Palette } from './figure-style.js';
import { positionAxis } from './position-axis.js';
import { positionEncoding, seriesLayers, type AutoPrecisionFormat } from './series-layers.js';

/**
 * The toy metrics worth a panel: how much of e2 the representation keeps and
 * what that buys the rare class. Training diagnostics (loss, margin, train
 * accuracy) stay in the report's tables; the theory value is drawn as a line
 * in the e2-ratio panel.
 */
export const TOY_FIGURE_METRICS = ['toy.e2Ratio', 'toy.e2Share', 'toy.rare', 'toy.probe'];

/** The e2 ratio the SSL optimum predicts for each training mix (run-toy-cell.ts). */
export const TOY_THEORY_METRIC = 'toy.e2RatioTheory';

/** Each panel's y axis: the quantity, and whether it is a share (drawn in percent). */
const TOY_AXES: Readonly<Record<string, { readonly title: string; readonly format: AutoPrecisionFormat }>> = {
  'toy.e2Ratio': { title: '‖W e2‖ / ‖W e1‖', format: '~g' },
  'toy.e2Share': { title: 'share of ‖W‖² along e2', format: '%' },
  'toy.rare': { title: 'rare-class probe accuracy', format: '%' },
  'toy.probe': { title: 'probe accuracy (3 classes)', format: '%' },
};

interface TheoryDatum {
  readonly kind: 'theory';
  readonly panel: string;
  readonly x: number;
  readonly mean: number;
  readonly n: number;
  readonly label: string;
}

/**
 * The toy model of docs/paper.md's theory section: each metric its cells carry
 * in its own panel with its own y scale and y title, against r (or against n
 * when r is one value), one series per arm ('toy-ssl', 'toy-sl'; split by n
 * when one r ran at several n), ±1 std over seeds, and in the e2-ratio panel
 * the ratio the SSL optimum predicts (dashed). Values are drawn raw: toy
 * metrics are not all accuracies.
 */
export function toyFigure(allRows: readonly AccuracyRow[], palette: Palette): FigurePlan | undefined {
  const headline = allRows.filter((r) => TOY_FIGURE_METRICS.includes(r.metric));
  // Cells of another toy design draw every metric they carry.
  const rows = headline.length > 0 ? headline : allRows.filter((r) => r.metric !== TOY_THEORY_METRIC);
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
  const points: (PointDatum & { kind: 'point' })[] = rows.map((r) => {
    const at = byR ? r.r : r.n;
    const description = `${label(r)}, n=${r.n}, r=${r.r}: ${r.metric} ${rawStats(r.stats)} (${count(r.stats.seeds, 'seed')})`;
    return { kind: 'point', series: label(r), panel: r.metric, x: axis.place(at, scales.index.get(label(r))!, scales.domain.length), at, mean: r.stats.mean, lo: r.stats.mean - r.stats.std, hi: r.stats.mean + r.stats.std, seeds: r.stats.seeds, description };
  });
  // The theory is the same for every seed of a mix: one value per (n, r), at the true x, in the e2-ratio panel.
  const theory: TheoryDatum[] = metrics.includes('toy.e2Ratio')
    ? allRows
        .filter((r) => r.metric === TOY_THEORY_METRIC)
        .map((r) => ({ kind: 'theory', panel: 'toy.e2Ratio', x: byR ? r.r : r.n, mean: r.stats.mean, n: r.n, label: 'theory (SSL optimum)' }))
    : [];
  const xTitle = byR ? 'imbalance ratio r' : 'training set size n';
  const xFormat = byR ? '~g' : ',d';
  const unit = (metric: string): Record<string, unknown> => {
    const y = TOY_AXES[metric] ?? { title: metric, format: '~g' as const };
    const theoryLayers =
      metric === 'toy.e2Ratio' && theory.length > 0
        ? [
            {
              transform: [{ filter: "datum.kind === 'theory'" }],
              mark: { type: 'line', color: '#555', strokeDash: [5, 3], strokeWidth: 1.4, point: { filled: true, size: 18, color: '#555' }, aria: false },
              encoding: { x: positionEncoding(axis, xTitle, xFormat), y: { field: 'mean', type: 'quantitative', title: y.title }, detail: { field: 'n', type: 'nominal' }, order: { field: 'x', type: 'quantitative' } },
            },
            {
              transform: [{ filter: "datum.kind === 'theory'" }, { window: [{ op: 'rank', as: 'rank' }], sort: [{ field: 'x', order: 'descending' }] }, { filter: 'datum.rank === 1' }],
              mark: { type: 'text', align: 'right', baseline: 'bottom', dy: -6, fontSize: 10, color: '#444' },
              encoding: { x: positionEncoding(axis, xTitle, xFormat), y: { field: 'mean', type: 'quantitative' }, text: { field: 'label' } },
            },
          ]
        : [];
    return {
      ...PANEL,
      title: { text: metric, fontSize: 12, subtitle: '' },
      transform: [{ filter: { field: 'panel', equal: metric } }],
      layer: [...theoryLayers, ...seriesLayers({ axis, xTitle, xFormat, yTitle: y.title, yFormat: y.format, zero: false, scales, legendTitle: 'arm', filter: "datum.kind === 'point'" })],
    };
  };
  const title = `Toy model: ${metrics.join(', ')} vs ${byR ? 'r' : 'n'}`;
  const spec = {
    title: { text: title, subtitle: `docs/paper.md, theory section; mean ± 1 std over seeds; one panel per metric, each with its own y scale${theory.length > 0 ? '; dashed: the theory' : ''}` },
    config: FIGURE_CONFIG,
    data: { values: [...points, ...theory] },
    // One unit per panel (not a facet), so each y axis names its own quantity.
    concat: metrics.map(unit),
    columns: 2,
    resolve: { scale: { y: 'independent' } },
  } as unknown as TopLevelSpec;
  return {
    name: 'toy',
    title,
    caption:
      `The toy model's metrics (${metrics.join(', ')}) against ${byR ? 'the imbalance ratio r' : 'the training set size n'}, one panel per metric with its own y scale, ` +
      `one series per arm${splitByN ? ' and n' : ''} (SSL circles, SL squares); bars are ±1 std over seeds; points at the same x are nudged sideways${axis.log ? `; ${byR ? 'r' : 'n'} on a log scale` : ''}.` +
      (theory.length > 0 ? ` The dashed line in the toy.e2Ratio panel is the ratio the SSL optimum predicts for each training mix (${TOY_THEORY_METRIC}); SSL's points should sit on it.` : ''),
    spec,
    points: points.length,
  };
}
