import { describe, expect, it } from 'vitest';
import { compareDeltas, seedsToClear, seedStats, type DeltaRow } from '../study/aggregate.js';
import { verdictLine, verdictText } from './verdict.js';

const row = (method: string, family: 'ssl' | 'sl', deltas: number[], seedIds = deltas.map((_, i) => i)): DeltaRow => ({ method, family, n: 1000, r: 0.1, metric: 'id.linear', delta: seedStats(deltas), seedIds });
const compare = (ssl: number[], sl: number[], sslSeeds?: number[], slSeeds?: number[]) => compareDeltas([row('simsiam', 'ssl', ssl, sslSeeds), row('supervised', 'sl', sl, slSeeds)])[0]!;
const verdict = (ssl: number[], sl: number[]): string => verdictText(compare(ssl, sl));

describe('the paired verdict', () => {
  it('says which Delta is lower only where the 95% interval of the paired difference excludes 0', () => {
    expect(verdict([0.01, 0.012, 0.008], [0.09, 0.093, 0.088])).toBe('SSL more robust: the 95% interval of Δ_SL − Δ_SSL is above 0');
    expect(verdict([0.09, 0.093, 0.088], [0.01, 0.012, 0.008])).toBe('SL more robust: the 95% interval of Δ_SL − Δ_SSL is below 0');
  });

  it('pairs by seed: a spread the seeds share cancels, and only common seeds count', () => {
    // Means 5% and 5.5% with a spread of 3% across seeds, but SL is 0.5 points above SSL at every seed.
    const shared = compare([0.02, 0.08, 0.05], [0.025, 0.086, 0.054]);
    expect(shared.verdict).toBe('ssl-more-robust');
    expect(shared.paired.values.map((v) => Math.round(v * 1e4))).toEqual([50, 60, 40]);
    // The same numbers with seeds shuffled between the methods no longer pair: within noise.
    expect(compare([0.02, 0.08, 0.05], [0.025, 0.086, 0.054], [0, 1, 2], [1, 2, 0]).verdict).toBe('within-noise');
    // Seed 3 has no SL cell: three pairs.
    expect(compare([0.01, 0.012, 0.008, 0.5], [0.09, 0.093, 0.088], [0, 1, 2, 3], [0, 1, 2]).paired.seeds).toBe(3);
  });

  it('gives t, the degrees of freedom and the interval from Student t, not a normal 2 SE', () => {
    const c = compare([0.01, 0.02, 0.03], [0.03, 0.03, 0.05]); // d = 0.02, 0.01, 0.02: mean 1/60, sd 1/sqrt(30000), SE 1/300, t = 5
    const se = 1 / 300;
    expect(c.difference).toBeCloseTo(1 / 60, 12);
    expect(c.standardError).toBeCloseTo(se, 12);
    expect(c.t).toBeCloseTo(1 / 60 / se, 10);
    expect(c.degreesOfFreedom).toBe(2);
    // t_{0.975, 2} = 4.3027: t = 5 clears it (a 2-SE rule would too; the next case it would not).
    expect(c.interval![0]).toBeCloseTo(1 / 60 - 4.302652729749462 * se, 10);
    expect(c.verdict).toBe('ssl-more-robust');
    const marginal = compare([0.01, 0.02, 0.03], [0.03, 0.025, 0.06]); // d = 0.02, 0.005, 0.03: t = 3.02 > 2, < 4.30
    expect(marginal.t!).toBeGreaterThan(2);
    expect(marginal.verdict).toBe('within-noise');
  });

  it('gives no verdict under 3 seeds, and says how many seeds the observed spread would need', () => {
    expect(verdict([0.01], [0.09])).toBe('no verdict: 1 paired seed, a verdict needs 3 (no spread yet to say how many seeds a verdict would need)');
    expect(compare([0.01, 0.012], [0.09, 0.093]).verdict).toBe('too-few-seeds');
    expect(verdictText(compare([0.01, 0.012], [0.09, 0.093]))).toBe('no verdict: 2 paired seeds, a verdict needs 3 (at the observed spread 3 seeds would clear the interval)');
    const marginal = compare([0.01, 0.02, 0.03], [0.03, 0.025, 0.06]);
    expect(verdictText(marginal)).toBe(`within noise: the 95% interval includes 0 (at the observed spread ${marginal.seedsNeeded} seeds would clear the interval)`);
    expect(marginal.seedsNeeded).toBe(5);
    expect(verdictText(compare([0.01, 0.03, 0.02], [0.03, 0.01, 0.02]))).toBe('within noise: the 95% interval includes 0 (the mean difference is 0: no number of seeds would clear it)');
  });

  it('finds the fewest seeds at which t_{0.975, k-1} sd / sqrt(k) falls below the mean', () => {
    // mean 1, sd 2: k = 18 has 2.1098 x 2 / sqrt(18) = 0.9946 < 1; k = 17: 2.1199 x 2 / sqrt(17) = 1.0283.
    expect(seedsToClear(1, 2)).toBe(18);
    expect(seedsToClear(-1, 2)).toBe(18);
    expect(seedsToClear(1, 0)).toBe(3);
    expect(seedsToClear(0, 1)).toBeUndefined();
    expect(seedsToClear(1e-6, 1)).toBeUndefined();
  });

  it('writes one line with both Deltas, the paired difference, its statistics and the verdict', () => {
    expect(verdictLine(compare([0.01, 0.012, 0.008], [0.09, 0.093, 0.088]))).toBe(
      'id.linear n=1000 r=0.1: simsiam Δ 1.00% ± 0.20 (3 seeds) vs supervised Δ 9.03% ± 0.25 (3 seeds); Δ_SL − Δ_SSL = 8.03 points (paired over 3 seeds: SE 0.03, t = 241.00, df 2, 95% interval [7.89, 8.18]): SSL more robust: the 95% interval of Δ_SL − Δ_SSL is above 0',
    );
  });
});
