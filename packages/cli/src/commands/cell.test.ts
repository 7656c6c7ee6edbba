import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SEMI_SYNTHETIC_PRESETS } from '@ltssl/experiments';
import { afterAll, describe, expect, it } from 'vitest';
import { cli } from '../test-io.js';

const dir = mkdtempSync(join(tmpdir(), 'ltssl-cell-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const metricsOf = (file: string): Record<string, number> => (JSON.parse(readFileSync(file, 'utf8')) as { metrics: Record<string, number> }).metrics;

describe('ltssl cell', () => {
  const toy = join(dir, 'toy.json');
  writeFileSync(toy, JSON.stringify({ dim: 20, frequentCount: 20, ratios: [1, 0.1], seeds: 1, sl: { steps: 100 }, ssl: { steps: 40 }, probe: { testPerClass: 50, steps: 100 } }));
  const id = 'toy_toy-sl_n42_r0.1_s0';

  it('computes one toy cell into its own result file, the same as a whole run computes it, and no SQLite file', async () => {
    const out = join(dir, 'one');
    const one = await cli('cell', '--backend', 'onnx', '--config', toy, '--cell', id, '--out', out);
    expect(one.stderr).toBe('');
    expect(one.code).toBe(0);
    expect(one.stdout).toMatch(new RegExp(`^\\[1/1\\] ${id}: toy\\.e2Ratio [\\d.]+`, 'm'));
    expect(one.stdout).toContain(`1 computed, 0 skipped (done before), 0 failed; result files in ${out}/cells ('ltssl collect ${out}' merges them into results.sqlite)`);
    expect(existsSync(join(out, 'results.sqlite'))).toBe(false);
    // plan.json keeps the whole study, so status counts the other cells as pending.
    const status = await cli('status', out);
    expect(status.stdout).toMatch(/^done 1, pending 3, failed 0$/m);

    const again = await cli('cell', '--backend', 'onnx', '--config', toy, '--cell', id, '--out', out);
    expect(again.stdout).toContain(`[1/1] ${id}: done before, skipped`);

    const whole = join(dir, 'whole');
    expect((await cli('run', 'toy', '--backend', 'onnx', '--config', toy, '--out', whole)).code).toBe(0);
    expect(metricsOf(join(out, 'cells', `${id}.json`))).toEqual(metricsOf(join(whole, 'cells', `${id}.json`)));

    // The study.json a run writes names its protocol; a cell runs from it as well.
    const fromStudy = join(dir, 'from-study');
    expect((await cli('cell', '--backend', 'onnx', '--config', join(whole, 'study.json'), '--cell', id, '--out', fromStudy)).code).toBe(0);
    expect(metricsOf(join(fromStudy, 'cells', `${id}.json`))).toEqual(metricsOf(join(whole, 'cells', `${id}.json`)));
  }, 120_000);

  it('runs a cell of the semi-synthetic protocol, told by its id', async () => {
    const config = join(dir, 'semi.json');
    writeFileSync(config, JSON.stringify(SEMI_SYNTHETIC_PRESETS.quick));
    const cell = 'semi-synthetic_supervised-rare_n20_r1_s0';
    const out = join(dir, 'semi');
    const run = await cli('cell', '--backend', 'onnx', '--config', config, '--cell', cell, '--out', out);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(new RegExp(`^\\[1/1\\] ${cell}: rare probe [\\d.]+%`, 'm'));
    expect(JSON.parse(readFileSync(join(out, 'cells', `${cell}.json`), 'utf8')).cell).toMatchObject({ protocol: 'semi-synthetic', method: 'supervised-rare' });
  }, 120_000);

  it('names the cells there are, and what it cannot tell', async () => {
    const unknown = await cli('cell', '--config', toy, '--cell', 'toy_nope_s0', '--out', join(dir, 'x'));
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/^ltssl: no cell 'toy_nope_s0' in the toy study of .*toy\.json; its cells are: toy_toy-ssl_n60_r1_s0, toy_toy-sl_n60_r1_s0, /);
    const unprefixed = await cli('cell', '--config', toy, '--cell', 'nope', '--out', join(dir, 'x'));
    expect(unprefixed.code).toBe(2);
    expect(unprefixed.stderr).toMatch(/^ltssl: cannot tell the protocol of cell 'nope': its id starts with none of 'imbalance_', 'toy_', 'rwsam_', 'semi-synthetic_'/);
    const study = join(dir, 'odd-study.json');
    writeFileSync(study, JSON.stringify({ protocol: 'mystery', config: {} }));
    expect((await cli('cell', '--config', study, '--cell', id, '--out', join(dir, 'x'))).stderr).toMatch(/^ltssl: .*odd-study\.json names protocol 'mystery'; ltssl knows: imbalance, toy, rwsam, semi-synthetic\n$/);
    expect(existsSync(join(dir, 'x'))).toBe(false);
  });
});
