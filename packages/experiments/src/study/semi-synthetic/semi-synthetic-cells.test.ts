import { describe, expect, it } from 'vitest';
import { semiSyntheticCells } from './semi-synthetic-cells.js';
import { DEFAULT_SEMI_SYNTHETIC_CONFIG, parseSemiSyntheticConfig } from './semi-synthetic-config.js';

describe('semiSyntheticCells', () => {
  it('plans every arm for each seed, seed by seed, with its pre-training n and r', () => {
    const cells = semiSyntheticCells(DEFAULT_SEMI_SYNTHETIC_CONFIG);
    expect(cells).toHaveLength(4 * 3);
    expect(cells.slice(0, 4)).toEqual([
      { id: 'semi-synthetic_simclr_n5050_r0.01_s0', protocol: 'semi-synthetic', method: 'simclr', family: 'ssl', n: 5050, r: 0.01, seed: 0 },
      { id: 'semi-synthetic_supervised_n5050_r0.01_s0', protocol: 'semi-synthetic', method: 'supervised', family: 'sl', n: 5050, r: 0.01, seed: 0 },
      { id: 'semi-synthetic_supervised-rare_n50_r1_s0', protocol: 'semi-synthetic', method: 'supervised-rare', family: 'sl', n: 50, r: 1, seed: 0 },
      { id: 'semi-synthetic_random_n0_r1_s0', protocol: 'semi-synthetic', method: 'random', family: 'random', n: 0, r: 1, seed: 0 },
    ]);
    expect(cells.at(-1)!.id).toBe('semi-synthetic_random_n0_r1_s2');
    expect(new Set(cells.map((c) => c.id)).size).toBe(cells.length);
    for (const c of cells) expect(c.id).toMatch(/^[A-Za-z0-9._-]+$/);
  });

  it('follows the config: arms, counts and seeds; a label-free method is SSL, a labelled one SL', () => {
    const cells = semiSyntheticCells(parseSemiSyntheticConfig({ arms: ['simsiam', 'supcon', 'random'], frequentCount: 200, rareCount: 4, seeds: 2 }));
    expect(cells.map((c) => [c.method, c.family, c.n, c.r, c.seed])).toEqual([
      ['simsiam', 'ssl', 1020, 0.02, 0],
      ['supcon', 'sl', 1020, 0.02, 0],
      ['random', 'random', 0, 1, 0],
      ['simsiam', 'ssl', 1020, 0.02, 1],
      ['supcon', 'sl', 1020, 0.02, 1],
      ['random', 'random', 0, 1, 1],
    ]);
  });
});
