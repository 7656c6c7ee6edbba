import type { TopLevelSpec } from 'vega-lite';
import type { AccuracyRow } from '../../study/aggregate.js';
import { count, percentStats } from '../format.js';
import { sortMetrics } from '../metric-label.js';
import type { FigurePlan } from './figure-plan.js';
import { FIGURE_CONFIG } from './figure-style.js';

/** The metrics the rwSAM figure draws, when present: overall, tail classes, few labels. */
const RWSAM_METRICS = ['id.linear', 'id.tail', 'id.fewshot10', 'ood.linear'];

/**
 * rwSAM (docs/paper.md): accuracy of each variant (SimSiam, +SAM, +rwSAM, the label
 * oracle, SimSiam on balanced data of the same n) with ±1 std over seeds; one
 * row per metric, one column per imbalance profile, each row its own y scale.
 */
export function rwsamFigure(rows: readonly AccuracyRow[]): FigurePlan | undefined {
  const shown = rows.filter((r) => RWSAM_METRICS.includes(r.metric));
  if (shown.length === 0) return undefined;
  const metrics = sortMetrics(shown.map((r) => r.metric));
  // The protocol's order: the baseline, its two SAM forms, the oracle, then the balanced bar to reach.
  const order = ['simsiam', 'simsiam-sam', 'simsiam-rwsam', 'simsiam-rwsam-label', 'simsiam-balanced'];
  const variants = [...new Set(shown.map((r) => r.method))].sort((a, b) => (order.indexOf(a) + 1 || 99) - (order.indexOf(b) + 1 || 99) || a.localeCompare(b));
  // A row without a profile (the balanced bar: at r = 1 every profile is the same split) is drawn in every profile's panel.
  const named = [...new Set(shown.flatMap((r) => (r.profile ? [r.profile] : [])))];
  const panels = (r: AccuracyRow): string[] => (r.profile ? [r.profile] : named.length > 0 ? named : ['balanced']);
  const values = shown.flatMap((r) =>
    panels(r).map((panel) => ({
      variant: r.method,
      profile: `${panel} profile`,
      metric: r.metric,
      mean: 100 * r.stats.mean,
      lo: 100 * (r.stats.mean - r.stats.std),
      hi: 100 * (r.stats.mean + r.stats.std),
      description: `${r.method}, ${r.profile ? `${r.profile} profile` : 'balanced'}, n=${r.n}, r=${r.r}: ${r.metric} ${percentStats(r.stats)} (${count(r.stats.seeds, 'seed')})`,
    })),
  );
  const profiles = [...new Set(values.map((v) => v.profile))];
  const title = `rwSAM: ${metrics.join(', ')} per variant`;
  const x = { field: 'variant', type: 'nominal', sort: variants, title: 'pre-training variant', axis: { labelAngle: -30 } };
  const color = { field: 'variant', type: 'nominal', sort: variants, legend: null, scale: { scheme: 'tableau10' } };
  const spec = {
    title: { text: title, subtitle: 'docs/paper.md "rwSAM"; mean ± 1 std over seeds, percent; SimSiam-balanced is pre-trained on balanced data of the same n' },
    config: FIGURE_CONFIG,
    data: { values },
    facet: {
      row: { field: 'metric', type: 'nominal', sort: metrics, title: null, header: { labelOrient: 'left' } },
      column: { field: 'profile', type: 'nominal', sort: profiles, title: null, header: { labelOrient: 'top' } },
    },
    spec: {
      width: 260,
      height: 160,
      layer: [
        { mark: { type: 'rule', strokeWidth: 1.5 }, encoding: { x, y: { field: 'lo', type: 'quantitative', title: 'accuracy (%)', scale: { zero: false, padding: 10 } }, y2: { field: 'hi' }, color } },
        { mark: { type: 'point', filled: true, size: 70 }, encoding: { x, y: { field: 'mean', type: 'quantitative' }, color, tooltip: [{ field: 'description', type: 'nominal' }], description: { field: 'description' } } },
      ],
    },
    resolve: { scale: { y: 'independent' } },
  } as unknown as TopLevelSpec;
  return {
    name: 'rwsam',
    title,
    caption: `Accuracy (${metrics.join(', ')}) of each rwSAM variant, one column per imbalance profile and one row per metric (each with its own scale); bars are ±1 std over seeds.`,
    spec,
    points: values.length,
  };
}
