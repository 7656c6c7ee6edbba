import { describe, expect, it } from 'vitest';
import { compareDeltas, seedStats, type DeltaRow } from '../study/aggregate.js';
import { verdictLine, verdictText } from './verdict.js';

const row = (method: string, family: 'ssl' | 'sl', deltas: number[]): DeltaRow => ({ method, family, n: 1000, r: 0.1, metric: 'id.linear', delta: seedStats(deltas) });

const verdict = (ssl: number[], sl: number[]): string => verdictText(compareDeltas([row('simsiam', 'ssl', ssl), row('supervised', 'sl', sl)])[0]!);

describe('verdictText', () => {
  it('says which Delta is lower only past 2 standard errors of the difference', () => {
    expect(verdict([0.01, 0.012, 0.008], [0.09, 0.092, 0.088])).toBe('Delta_SSL < Delta_SL by more than 2 standard errors');
    expect(verdict([0.09, 0.092, 0.088], [0.01, 0.012, 0.008])).toBe('Delta_SSL > Delta_SL by more than 2 standard errors');
    // Means 5% and 5.5% with a spread of ~3%: the difference is noise.
    expect(verdict([0.02, 0.08, 0.05], [0.025, 0.085, 0.055])).toBe('within noise (the difference is within 2 standard errors)');
  });

  it('reads no sign into a difference without spread', () => {
    expect(verdict([0.01], [0.09])).toBe('within noise (one seed each: no spread to judge the difference by)');
    expect(verdict([0.01, 0.01], [0.09, 0.09])).toBe('within noise (no spread across seeds to judge the difference by)');
  });

  it('writes one line with both Deltas, the difference and its standard error', () => {
    const [c] = compareDeltas([row('simsiam', 'ssl', [0.01, 0.012, 0.008]), row('supervised', 'sl', [0.09, 0.092, 0.088])]);
    expect(verdictLine(c!)).toBe('id.linear n=1000 r=0.1: simsiam Δ 1.00% ± 0.20 (3 seeds) vs supervised Δ 9.00% ± 0.20 (3 seeds); Δ_SL − Δ_SSL = 8.00 points, SE 0.16: Delta_SSL < Delta_SL by more than 2 standard errors');
  });
});
