import { describe, expect, it } from 'vitest';
import { rwsamFigure } from '../../report/figures/rwsam-figure.js';
import { rwsamTable } from '../../report/report-tables.js';
import type { AccuracyRow } from '../aggregate.js';
import { parseRwsamConfig } from './rwsam-config.js';
import { rwsamCells } from './rwsam-cells.js';

describe('rwsamCells', () => {
  it('plans each imbalanced variant per profile and the balanced bar once per seed', () => {
    const config = parseRwsamConfig({ seeds: 2 });
    const cells = rwsamCells(config);
    // Defaults: simsiam, +SAM, +rwSAM for step and exp, plus one balanced cell, per seed.
    expect(cells).toHaveLength(2 * (3 * 2 + 1));
    expect(new Set(cells.map((c) => c.id)).size).toBe(cells.length);
    expect(cells.slice(0, 7).map((c) => c.id)).toEqual([
      `rwsam_simsiam_step_n${config.size}_r${config.ratio}_s0`,
      `rwsam_simsiam-sam_step_n${config.size}_r${config.ratio}_s0`,
      `rwsam_simsiam-rwsam_step_n${config.size}_r${config.ratio}_s0`,
      `rwsam_simsiam_exp_n${config.size}_r${config.ratio}_s0`,
      `rwsam_simsiam-sam_exp_n${config.size}_r${config.ratio}_s0`,
      `rwsam_simsiam-rwsam_exp_n${config.size}_r${config.ratio}_s0`,
      `rwsam_simsiam-balanced_n${config.size}_r1_s0`,
    ]);
    expect(cells[6]).toEqual({ id: cells[6]!.id, protocol: 'rwsam', method: 'simsiam-balanced', family: 'ssl', n: config.size, r: 1, seed: 0 });
    expect(cells.filter((c) => c.method !== 'simsiam-balanced').every((c) => c.profile !== undefined && c.r === config.ratio)).toBe(true);
  });

  it('plans no balanced cell when the variant is not asked for', () => {
    expect(rwsamCells(parseRwsamConfig({ seeds: 1, variants: ['simsiam'], profiles: ['exp'] })).map((c) => c.method)).toEqual(['simsiam']);
  });
});

describe('the balanced bar in the report', () => {
  const stats = (mean: number) => ({ mean, std: 0.01, seeds: 2, values: [mean - 0.01, mean + 0.01] });
  const rows: AccuracyRow[] = [
    { protocol: 'rwsam', profile: 'step', method: 'simsiam', family: 'ssl', n: 300, r: 0.01, metric: 'id.linear', stats: stats(0.7) },
    { protocol: 'rwsam', profile: 'exp', method: 'simsiam', family: 'ssl', n: 300, r: 0.01, metric: 'id.linear', stats: stats(0.72) },
    { protocol: 'rwsam', method: 'simsiam-balanced', family: 'ssl', n: 300, r: 1, metric: 'id.linear', stats: stats(0.75) },
  ];

  it('is drawn in every profile panel of the figure', () => {
    const values = (rwsamFigure(rows)!.spec as unknown as { data: { values: { variant: string; profile: string }[] } }).data.values;
    expect(values.filter((v) => v.variant === 'simsiam-balanced').map((v) => v.profile)).toEqual(['step profile', 'exp profile']);
    expect(values).toHaveLength(4);
  });

  it('is one row of the table, without a profile', () => {
    expect(rwsamTable(rows).rows.map((row) => row[0]).sort()).toEqual(['simsiam (exp)', 'simsiam (step)', 'simsiam-balanced']);
  });
});
