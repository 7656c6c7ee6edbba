import { describe, expect, it } from 'vitest';
import { DEFAULT_TOY_CONFIG, parseToyConfig } from './toy-config.js';
import { toyCells } from './toy-cells.js';

describe('toyCells', () => {
  it('plans every arm at every ratio for each seed, seed by seed, with stable filesystem-safe ids', () => {
    const cells = toyCells(DEFAULT_TOY_CONFIG);
    expect(cells).toHaveLength(DEFAULT_TOY_CONFIG.seeds * DEFAULT_TOY_CONFIG.ratios.length * 2);
    expect(cells.slice(0, 4).map((c) => c.id)).toEqual(['toy_toy-ssl_n300_r1_s0', 'toy_toy-sl_n300_r1_s0', 'toy_toy-ssl_n220_r0.2_s0', 'toy_toy-sl_n220_r0.2_s0']);
    expect(cells.at(-1)).toEqual({ id: 'toy_toy-sl_n201_r0.01_s2', protocol: 'toy', method: 'toy-sl', family: 'sl', n: 201, r: 0.01, seed: 2 });
    expect(new Set(cells.map((c) => c.id)).size).toBe(cells.length);
    for (const c of cells) {
      expect(c.id).toMatch(/^[A-Za-z0-9._-]+$/);
      expect(c.family).toBe(c.method === 'toy-ssl' ? 'ssl' : 'sl');
    }
    expect(toyCells(DEFAULT_TOY_CONFIG)).toEqual(cells);
  });

  it('follows the config: arms, ratios in decreasing order, n = 2N + floor(N r)', () => {
    const cells = toyCells(parseToyConfig({ arms: ['toy-sl'], ratios: [0.05, 0.5], seeds: 1, frequentCount: 40 }));
    expect(cells.map((c) => [c.method, c.r, c.n])).toEqual([
      ['toy-sl', 0.5, 100],
      ['toy-sl', 0.05, 82],
    ]);
  });
});
