import type { Comparison } from '../study/aggregate.js';
import { fixed, percent } from './format.js';

/**
 * The honest reading of one SSL vs SL comparison, as the report and the CLI
 * print it. The threshold is compareDeltas's: a difference counts only past
 * two standard errors of the difference; with no spread (one seed each)
 * nothing can be judged, and the line says so rather than reading a sign.
 */
export function verdictText(c: Comparison): string {
  switch (c.verdict) {
    case 'ssl-more-robust':
      return 'Delta_SSL < Delta_SL by more than 2 standard errors';
    case 'sl-more-robust':
      return 'Delta_SSL > Delta_SL by more than 2 standard errors';
    case 'within-noise':
      if (c.standardError === 0) return c.ssl.delta.seeds <= 1 && c.sl.delta.seeds <= 1 ? 'within noise (one seed each: no spread to judge the difference by)' : 'within noise (no spread across seeds to judge the difference by)';
      return 'within noise (the difference is within 2 standard errors)';
  }
}

/**
 * One line per comparison: where, both Deltas with their spread and seeds,
 * the difference and its standard error, then the verdict.
 * 'id.linear n=1000 r=0.1: simsiam Δ 2.10% ± 0.40 (3 seeds) vs supervised Δ 12.00% ± 1.00 (3 seeds);
 *  Δ_SL − Δ_SSL = 9.90 points, SE 0.62: Delta_SSL < Delta_SL by more than 2 standard errors'
 */
export function verdictLine(c: Comparison): string {
  const side = (s: Comparison['ssl']): string => `${s.method} Δ ${percent(s.delta.mean)}% ± ${percent(s.delta.std)} (${s.delta.seeds} ${s.delta.seeds === 1 ? 'seed' : 'seeds'})`;
  return `${c.metric} n=${c.n} r=${c.r}: ${side(c.ssl)} vs ${side(c.sl)}; Δ_SL − Δ_SSL = ${fixed(c.difference * 100, 2)} points, SE ${fixed(c.standardError * 100, 2)}: ${verdictText(c)}`;
}
