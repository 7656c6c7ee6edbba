import { mkdtempSync, readdirSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cli, DURATION } from '../test-io.js';

const dir = mkdtempSync(join(tmpdir(), 'ltssl-run-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('ltssl run toy', () => {
  it('runs a tiny toy sweep end to end, skips it on rerun, and reports it', async () => {
    const config = join(dir, 'toy.json');
    writeFileSync(config, JSON.stringify({ dim: 20, frequentCount: 20, ratios: [1, 0.1], seeds: 1, sl: { steps: 100 }, ssl: { steps: 40 }, probe: { testPerClass: 50, steps: 100 } }));
    const out = join(dir, 'toy');
    const first = await cli('run', 'toy', '--backend', 'onnx', '--config', config, '--out', out);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/^\[1\/4\] toy_toy-ssl_n60_r1_s0: toy\.e2Ratio [\d.]+ {2}toy\.e2Share [\d.]+/m);
    expect(first.stdout).toContain('4 computed, 0 skipped (done before), 0 failed');
    expect(first.stdout).toContain('(4 cells in results.sqlite and results.csv');
    expect(readdirSync(join(out, 'cells'))).toHaveLength(4);
    const again = await cli('run', 'toy', '--backend', 'onnx', '--config', config, '--out', out);
    expect(again.stdout).toContain('0 computed, 4 skipped (done before), 0 failed');
    const report = await cli('report', out);
    expect(report.code).toBe(0);
    expect(existsSync(join(out, 'report', 'figures', 'toy.png'))).toBe(true);
  }, 120_000);

  it('rejects the imbalance-only flags and a bad configuration', async () => {
    expect((await cli('run', 'toy', '--preset', 'quick')).stderr).toBe('ltssl: --preset applies to the imbalance and semi-synthetic protocols; the toy protocol takes --config\n');
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ tau: -1 }));
    const run = await cli('run', 'toy', '--config', bad);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^ltssl: invalid toy configuration: .*tau/);
  });
});

describe('ltssl run rwsam', () => {
  it('runs a tiny rwSAM sweep end to end and draws its figure', async () => {
    const config = join(dir, 'rwsam.json');
    writeFileSync(
      config,
      JSON.stringify({
        size: 300,
        seeds: 1,
        profiles: ['step'],
        variants: ['simsiam', 'simsiam-rwsam', 'simsiam-balanced'],
        encoder: { arch: 'small-cnn', width: 4 },
        pretrain: { epochs: 2, batch: 64, checkpointEvery: 2 },
        simsiam: { projectorDim: 16, predictorDim: 8 },
        weighting: { refreshEvery: 1, referenceSize: 256, bandwidth: 0.5, temperature: 1, labelBase: 1.2 },
        probe: { epochs: 3, fewShot: [2], oodPerClass: 20 },
      }),
    );
    const out = join(dir, 'rwsam');
    const run = await cli('run', 'rwsam', '--backend', 'onnx', '--config', config, '--out', out);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^\[2\/3\] rwsam_simsiam-rwsam_step_n300_r0\.01_s0: id\.linear [\d.]+%/m);
    expect(run.stdout).toMatch(/^\[3\/3\] rwsam_simsiam-balanced_n300_r1_s0: /m);
    const report = await cli('report', out);
    expect(report.code).toBe(0);
    expect(existsSync(join(out, 'report', 'figures', 'rwsam.png'))).toBe(true);
  }, 120_000);

  it('keeps checkpoints aligned with the weight refreshes', async () => {
    const config = join(dir, 'rwsam-bad.json');
    writeFileSync(config, JSON.stringify({ pretrain: { epochs: 4, batch: 64, checkpointEvery: 3 }, weighting: { refreshEvery: 2, referenceSize: 256, bandwidth: 0.5, temperature: 1, labelBase: 1.2 } }));
    const run = await cli('run', 'rwsam', '--config', config);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('pretrain.checkpointEvery: must be a multiple of weighting.refreshEvery');
  });
});

describe('ltssl run imbalance', () => {
  it('lists the cells of the quick preset and the size checks it passed, then times steps for an estimate, with --dry-run', async () => {
    const { code, stdout } = await cli('run', 'imbalance', '--backend', 'onnx', '--dry-run', '--out', join(dir, 'quick'));
    expect(code).toBe(0);
    expect(stdout).toMatch(/^imbalance study: simclr, supervised \+ random init; n in \{525, 1050, 2100\}, r in \{1, 0\.004\} \(exp\); 3 seed\(s\); 39 cells$/m);
    expect(stdout).toMatch(/^ {2}imbalance_simclr_n2100_r0\.004_s2$/m);
    expect(stdout).toMatch(/^checks passed: n = 525, 1050, 2100 fits fashion-mnist\/train with the exp profile at r = 1 and 0\.004 \(at most n = 2177\); probe set 1000 a class of fashion-mnist\/train, .*; out of domain 500 a class of mnist\/train/m);
    expect(stdout).toMatch(new RegExp(`^39 cells; estimated ${DURATION} on `, 'm'));
    // The cells and the checks come first, then the driver, then the timed steps.
    const lines = stdout.split('\n');
    const at = (pattern: RegExp) => lines.findIndex((l) => pattern.test(l));
    const order = [/^ {2}imbalance_simclr_n2100_r0\.004_s2$/, /^checks passed: /, /^driver onnx: /, /^timing steps for the estimate: /, /^39 cells; estimated /].map(at);
    expect(order.every((i) => i >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(existsSync(join(dir, 'quick', 'cells'))).toBe(false);
  }, 120_000);

  it('names the field of an invalid configuration and the missing data of the paper preset', async () => {
    const bad = join(dir, 'imbalance.json');
    writeFileSync(bad, JSON.stringify({ ratios: [0.1], methods: ['simclr', 'nope'] }));
    const run = await cli('run', 'imbalance', '--config', bad);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^ltssl: invalid imbalance configuration: .+\n$/);
    expect(run.stderr).toContain('ratios: must include 1 (the balanced reference of Delta)');
    expect(run.stderr).toContain("methods: no method or variant 'nope': the methods are supervised, simsiam, mocov2, simclr, supcon, byol, barlow-twins, vicreg, sdclr");
    const paper = await cli('run', 'imbalance', '--preset', 'paper');
    expect(paper.code).toBe(2);
    expect(paper.stderr).toContain('--preset paper needs --data (the CIFAR-10 folder');
    expect((await cli('run', 'no-such-protocol')).stderr).toBe("ltssl: unknown protocol 'no-such-protocol'; choose one of: imbalance, toy, rwsam, semi-synthetic\n");
  });
});
