import { MIN_VERDICT_SEEDS, type Comparison } from '../study/aggregate.js';
import { count, fixed, percent } from './format.js';

/** Points, two decimals: a fraction 0.0123 reads '1.23'. */
const points = (x: number): string => fixed(x * 100, 2);

/** How many seeds the observed spread would need, as a clause. */
function seedsClause(c: Comparison): string {
  if (c.paired.seeds < 2) return 'no spread yet to say how many seeds a verdict would need';
  if (c.difference === 0) return 'the mean difference is 0: no number of seeds would clear it';
  if (c.seedsNeeded === undefined) return 'at the observed spread it would take more than 100000 seeds to clear the interval';
  return `at the observed spread ${c.seedsNeeded} seeds would clear the interval`;
}

/**
 * The honest reading of one SSL vs SL comparison, as the report and the CLI
 * print it: the 95% interval of the paired difference Delta_SL - Delta_SSL
 * decides (compareDeltas); under MIN_VERDICT_SEEDS paired seeds there is no
 * verdict, and a difference within noise says how many seeds its observed
 * spread would need.
 */
export function verdictText(c: Comparison): string {
  switch (c.verdict) {
    case 'ssl-more-robust':
      return 'SSL more robust: the 95% interval of Δ_SL − Δ_SSL is above 0';
    case 'sl-more-robust':
      return 'SL more robust: the 95% interval of Δ_SL − Δ_SSL is below 0';
    case 'within-noise':
      return `within noise: the 95% interval includes 0 (${seedsClause(c)})`;
    case 'too-few-seeds':
      return `no verdict: ${count(c.paired.seeds, 'paired seed')}, a verdict needs ${MIN_VERDICT_SEEDS} (${seedsClause(c)})`;
  }
}

/** The paired statistics in brief: 'paired over 3 seeds: SE 0.16, t = 50.00, df 2, 95% interval [7.31, 8.69]'. */
export function pairedSummary(c: Comparison): string {
  if (c.paired.seeds < 2) return `${count(c.paired.seeds, 'paired seed')}: no spread`;
  const parts = [`SE ${points(c.standardError)}`];
  if (c.t !== undefined) parts.push(`t = ${fixed(c.t, 2)}`);
  parts.push(`df ${c.degreesOfFreedom}`);
  if (c.interval) parts.push(`95% interval [${points(c.interval[0])}, ${points(c.interval[1])}]`);
  return `paired over ${count(c.paired.seeds, 'seed')}: ${parts.join(', ')}`;
}

/**
 * One line per comparison: where, both Deltas with their spread and seeds,
 * the paired difference with its statistics, then the verdict.
 * 'id.linear n=1000 r=0.1: simsiam Δ 1.00% ± 0.20 (3 seeds) vs supervised Δ 9.00% ± 0.20 (3 seeds);
 *  Δ_SL − Δ_SSL = 8.00 points (paired over 3 seeds: SE 0.00, df 2, 95% interval [8.00, 8.00]): SSL more robust: ...'
 */
export function verdictLine(c: Comparison): string {
  const side = (s: Comparison['ssl']): string => `${s.method} Δ ${percent(s.delta.mean)}% ± ${percent(s.delta.std)} (${count(s.delta.seeds, 'seed')})`;
  const difference = c.paired.seeds > 0 ? `${points(c.difference)} points (${pairedSummary(c)})` : 'no seed in common';
  return `${c.metric} n=${c.n} r=${c.r}: ${side(c.ssl)} vs ${side(c.sl)}; Δ_SL − Δ_SSL = ${difference}: ${verdictText(c)}`;
}
