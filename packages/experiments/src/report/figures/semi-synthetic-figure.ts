import type { TopLevelSpec } from 'vega-lite';
import type { AccuracyRow } from '../../study/aggregate.js';
import { count, percentStats } from '../format.js';
import { isSemiSyntheticFigureMetric, semiSyntheticMetricWords, sortSemiSyntheticMetrics } from '../semi-synthetic-metrics.js';
import type { FigurePlan } from './figure-plan.js';
import { FIGURE_CONFIG, seriesLabel, seriesScales, type Palette } from './figure-style.js';

/** One arm's mean of one metric, or the 0.5 line of a share panel. */
interface ArmDatum {
  readonly kind: 'point' | 'even';
  readonly panel: string;
  readonly series?: string;
  readonly mean: number;
  readonly lo?: number;
  readonly hi?: number;
  readonly description?: string;
}

const isShare = (metric: string): boolean => metric.endsWith('.labelShare');

/** Short panel headers (the caption spells each metric out). */
const PANEL_TITLES: Readonly<Record<string, string>> = {
  'rare.linear': 'rare-class probe accuracy',
  'gradcam.frequent.labelShare': 'Grad-CAM on label half: frequent',
  'gradcam.rare.labelShare': 'Grad-CAM on label half: rare',
};

/**
 * The semi-synthetic study in one figure: a panel per metric (the
 * rare-class probes' accuracy, full and few-shot, then the share of Grad-CAM
 * mass on the label half for frequent and for rare test composites), one point per arm with
 * ±1 std over seeds. Share panels draw a dashed line at 0.5, an even split
 * between the halves. Undefined when no semi-synthetic cell has these metrics.
 */
export function semiSyntheticFigure(allRows: readonly AccuracyRow[], palette: Palette): FigurePlan | undefined {
  const rows = allRows.filter((r) => isSemiSyntheticFigureMetric(r.metric));
  if (rows.length === 0) return undefined;
  const label = (r: AccuracyRow): string => seriesLabel(r.method, r.family);
  const scales = seriesScales(rows.map((r) => ({ family: r.family, label: label(r) })), palette);
  const metrics = sortSemiSyntheticMetrics(rows.map((r) => r.metric));
  const panel = (metric: string): string => PANEL_TITLES[metric] ?? (/^rare\.fewshot\d+$/.test(metric) ? `rare-class ${metric.slice('rare.fewshot'.length)}-shot probe` : semiSyntheticMetricWords(metric));
  const points: ArmDatum[] = rows.map((r) => ({
    kind: 'point',
    panel: panel(r.metric),
    series: label(r),
    mean: r.stats.mean,
    lo: r.stats.mean - r.stats.std,
    hi: r.stats.mean + r.stats.std,
    description: `${label(r)}: ${r.metric} ${percentStats(r.stats)}% (${count(r.stats.seeds, 'seed')})`,
  }));
  const even: ArmDatum[] = metrics.filter(isShare).map((m) => ({ kind: 'even', panel: panel(m), mean: 0.5 }));
  const x = { field: 'series', type: 'nominal', title: 'pre-training arm', sort: scales.domain, axis: { labelAngle: -30, labelLimit: 160 } };
  const color = { field: 'series', type: 'nominal', title: 'arm', scale: { domain: scales.domain, range: scales.color } };
  // Each panel its own y scale, not from 0: the arms' differences are a few points.
  // '%' without a precision: it follows the tick step, so neighbouring ticks never read the same.
  const quantity = (metric: string): string => (isShare(metric) ? 'share of Grad-CAM mass on the label half' : 'probe accuracy');
  const yOf = (metric: string) => ({ field: 'mean', type: 'quantitative', title: quantity(metric), scale: { zero: false, nice: true }, axis: { format: '%' } });
  const onlyPoints = [{ filter: "datum.kind === 'point'" }];
  // One unit per panel side by side (not a facet): a probe panel then has no empty 0.5-line layer to give its own y scale an infinite extent.
  const unit = (metric: string): Record<string, unknown> => ({
    title: { text: panel(metric), fontSize: 12, subtitle: '' },
    width: 200,
    height: 200,
    transform: [{ filter: { field: 'panel', equal: panel(metric) } }],
    layer: [
      ...(isShare(metric) ? [{ transform: [{ filter: "datum.kind === 'even'" }], mark: { type: 'rule', color: '#6f6f6f', strokeDash: [5, 3], strokeWidth: 1.2 }, encoding: { y: { field: 'mean', type: 'quantitative', title: quantity(metric) } } }] : []),
      { transform: onlyPoints, mark: { type: 'errorbar', ticks: { size: 7 }, thickness: 1.4, aria: false }, encoding: { x, y: { field: 'lo', type: 'quantitative', title: quantity(metric) }, y2: { field: 'hi' }, color } },
      {
        transform: onlyPoints,
        mark: { type: 'point', filled: true, size: 70, opacity: 1, stroke: 'white', strokeWidth: 0.6 },
        encoding: { x, y: yOf(metric), color, shape: { field: 'series', type: 'nominal', title: 'arm', scale: { domain: scales.domain, range: scales.shape } }, description: { field: 'description', type: 'nominal' } },
      },
    ],
  });
  const spec = {
    title: { text: 'Semi-synthetic study: rare-class probe and where Grad-CAM looks', subtitle: 'docs/paper.md "Semi-synthetic study"; mean ± 1 std over seeds; dashed: an even split between the halves' },
    config: FIGURE_CONFIG,
    data: { values: [...points, ...even] },
    hconcat: metrics.map(unit),
    resolve: { scale: { y: 'independent' } },
  } as unknown as TopLevelSpec;
  return {
    name: 'semi-synthetic',
    title: 'Semi-synthetic study: rare-class probe accuracy and Grad-CAM label-half shares',
    caption:
      `One panel per metric, each with its own y scale: ${metrics.map((m) => `${m} (${semiSyntheticMetricWords(m)})`).join('; ')}. One point per arm (SSL circles, SL squares, random init a diamond), ` +
      'bars ±1 std over seeds. The label half is the left half of a frequent composite and the right half of a rare one; 1 means all of the Grad-CAM mass lies on it, and the dashed line at 0.5 is an even split.',
    spec,
    points: points.length,
  };
}
