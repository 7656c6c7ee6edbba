import { describe, expect, it } from 'vitest';
import { DEFAULT_TOY_CONFIG, parseToyConfig, toyClassCounts, toyTrainSize } from './toy-config.js';

describe('toy config', () => {
  it('puts the default sweep in the regime the theory needs (toy-config.ts)', () => {
    const c = DEFAULT_TOY_CONFIG;
    const memorisation = c.rho ** 2 * c.dim; // rho^2 d: rare examples SL can memorise for the price of learning e2
    const rare = c.ratios.map((r) => toyClassCounts(c, r)[2]);
    // The sweep crosses the threshold: SL has reason to learn e2 at the largest ratio, none at the smallest.
    expect(Math.max(...rare) / memorisation).toBeGreaterThan(1);
    expect(Math.min(...rare) / memorisation).toBeLessThan(0.1);
    // SSL: e2's eigenvalue from the frequent classes alone tops e1's and the sample noise bulk.
    const n = Math.min(...c.ratios.map((r) => toyTrainSize(c, r)));
    const bulk = c.rho ** 2 * (1 + Math.sqrt(c.dim / n)) ** 2;
    expect(c.tau ** 2 / 2 + c.rho ** 2).toBeGreaterThan(1 + c.rho ** 2);
    expect(1 + c.rho ** 2).toBeGreaterThan(2 * bulk);
    expect(c.width).toBeGreaterThanOrEqual(2);
  });

  it('counts n3 = floor(N r) without float dust, and n = 2N + n3', () => {
    expect(toyClassCounts({ frequentCount: 100 }, 0.29)).toEqual([100, 100, 29]);
    expect(toyClassCounts({ frequentCount: 100 }, 0.01)).toEqual([100, 100, 1]);
    expect(toyTrainSize({ frequentCount: 100 }, 1)).toBe(300);
  });

  it('fills nested defaults from a partial config and keeps what was given', () => {
    const c = parseToyConfig({ dim: 50, sl: { steps: 10 } });
    expect(c.dim).toBe(50);
    expect(c.sl).toEqual({ ...DEFAULT_TOY_CONFIG.sl, steps: 10 });
    expect(c.ssl).toEqual(DEFAULT_TOY_CONFIG.ssl);
  });

  it('refuses bad values, naming the field and what to do', () => {
    expect(() => parseToyConfig({ ratios: [1, 0.001] })).toThrow(/ratios\[1\].*0 rare examples at N = 100; raise frequentCount or r/s);
    expect(() => parseToyConfig({ ratios: [0.5, 0.5] })).toThrow(/ratios must be distinct/);
    expect(() => parseToyConfig({ frequentCount: 4, ratios: [0.5], ssl: { batch: 16 } })).toThrow(/batch 16 exceeds the smallest training set \(10 examples\)/);
    expect(() => parseToyConfig({ rho: -1 })).toThrow(/rho/);
    expect(() => parseToyConfig({ probe: { shots: 3 } })).toThrow(/shots/);
    expect(() => parseToyConfig({ arms: ['toy-moco'] })).toThrow(/arms/);
  });
});
