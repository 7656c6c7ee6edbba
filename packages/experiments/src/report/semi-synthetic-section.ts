import type { AccuracyRow } from '../study/aggregate.js';
import type { Block, TextTable } from './document.js';
import { percent, percentStats } from './format.js';
import { PAPER_RARE_ACCURACY, semiSyntheticMetricWords, sortSemiSyntheticMetrics } from './semi-synthetic-metrics.js';

const FAMILY_ORDER: Readonly<Record<string, number>> = { ssl: 0, sl: 1, random: 2 };
const FAMILY_WORD: Readonly<Record<string, string>> = { ssl: 'SSL', sl: 'SL', random: 'random init' };

/** One row per arm: its pre-training set, seeds, every metric (percent, mean ± std over seeds) and the paper's rare-class accuracy. */
export function semiSyntheticTable(rows: readonly AccuracyRow[]): TextTable {
  const metrics = sortSemiSyntheticMetrics(rows.map((r) => r.metric));
  const arms = [...new Map(rows.map((r) => [r.method, r])).values()].sort((a, b) => (FAMILY_ORDER[a.family] ?? 3) - (FAMILY_ORDER[b.family] ?? 3) || a.method.localeCompare(b.method));
  return {
    header: ['arm', 'family', 'pre-training n', 'r', 'seeds', ...metrics.map((m) => `${m} (%)`), 'paper rare.linear (%)'],
    numeric: [false, false, true, true, true, ...metrics.map(() => true), true],
    rows: arms.map((arm) => {
      const mine = rows.filter((r) => r.method === arm.method);
      const seeds = Math.max(...mine.map((r) => r.stats.seeds));
      const cellOf = (metric: string): string => {
        const s = mine.find((r) => r.metric === metric)?.stats;
        if (!s) return '—';
        return s.seeds < seeds ? `${percentStats(s)} (${s.seeds} seeds)` : percentStats(s);
      };
      const paper = PAPER_RARE_ACCURACY[arm.method];
      return [arm.method, FAMILY_WORD[arm.family] ?? arm.family, String(arm.n), String(arm.r), String(seeds), ...metrics.map(cellOf), paper === undefined ? '—' : percent(paper)];
    }),
  };
}

/** The gap between two arms' means of a metric, in points, when both have it. */
function gap(rows: readonly AccuracyRow[], metric: string, a: string, b: string): string | undefined {
  const x = rows.find((r) => r.method === a && r.metric === metric)?.stats;
  const y = rows.find((r) => r.method === b && r.metric === metric)?.stats;
  if (!x || !y) return undefined;
  const se = Math.sqrt(x.std ** 2 / x.seeds + y.std ** 2 / y.seeds);
  const d = 100 * (x.mean - y.mean);
  const verdict = x.seeds < 2 || y.seeds < 2 ? 'one seed: no spread to judge it by' : Math.abs(d) > 2 * 100 * se ? 'beyond 2 standard errors' : 'within noise: under 2 standard errors';
  return `${metric}, ${a} − ${b}: ${d >= 0 ? '+' : ''}${d.toFixed(1)} points (SE ${(100 * se).toFixed(1)}; ${verdict})`;
}

/**
 * The report's semi-synthetic section: what the study does, the table, and
 * the comparisons the paper makes (SSL vs SL and vs supervised-rare on rare
 * classes; SL's Grad-CAM on the label half of frequent composites vs SSL's).
 */
export function semiSyntheticBlocks(rows: readonly AccuracyRow[]): Block[] {
  const p = (text: string): Block => ({ kind: 'paragraph', text });
  if (rows.length === 0) return [p('No finished cell of the semi-synthetic protocol.')];
  const ssl = [...new Set(rows.filter((r) => r.family === 'ssl').map((r) => r.method))];
  const sl = [...new Set(rows.filter((r) => r.family === 'sl').map((r) => r.method))];
  const rareProbes = sortSemiSyntheticMetrics(rows.map((r) => r.metric)).filter((m) => m === 'rare.linear' || m.startsWith('rare.fewshot'));
  const comparisons = [
    ...rareProbes.flatMap((m) => ssl.flatMap((s) => [...sl, 'random'].map((o) => gap(rows, m, s, o)))),
    ...ssl.flatMap((s) => sl.map((o) => gap(rows, 'gradcam.frequent.labelShare', o, s))),
  ].filter((c): c is string => c !== undefined);
  return [
    p(
      'docs/paper.md "Semi-synthetic study": composites of two halves side by side. Frequent classes are [an image of their source class | a random image of a rare source class], rare classes [blank | an image of their source class], ' +
        'so the frequent composites carry rare-class features in a half their labels never need. Each arm pre-trains an encoder (the random arm does not), then a linear probe on its frozen features learns the rare classes from balanced rare composites ' +
        "and is tested on the rare classes of the test split (rare.linear). Grad-CAM of each probe's true-class score measures where the encoder's evidence lies: the share of the map's mass on the label half (left for frequent composites, right for rare ones; 0.5 is an even split).",
    ),
    p(`Paper (CIFAR-10, ResNet-18): rare-class probe SimCLR 70.1%, supervised 44.3%, supervised-rare 36.5%, about random features; Grad-CAM of the supervised encoder on the left half only, SimCLR's on the whole image. Metrics: ${sortSemiSyntheticMetrics(rows.map((r) => r.metric)).map((m) => `${m} = ${semiSyntheticMetricWords(m)}`).join('; ')}.`),
    { kind: 'table', table: semiSyntheticTable(rows) },
    ...(comparisons.length > 0 ? [{ kind: 'list', items: comparisons } as Block] : []),
  ];
}
