import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cli, DURATION } from '../test-io.js';

const dir = mkdtempSync(join(tmpdir(), 'ltssl-semi-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('ltssl run semi-synthetic', () => {
  it('runs the quick preset end to end, skips it on rerun, and reports it with Grad-CAM overlays', async () => {
    const out = join(dir, 'quick');
    const first = await cli('run', 'semi-synthetic', '--preset', 'quick', '--backend', 'onnx', '--out', out);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/^semi-synthetic study: simclr, supervised, supervised-rare, random; 5 frequent classes x 60 and 5 rare x 4 \(r = 0\.06666666666666667\); 1 seed\(s\); 4 cells$/m);
    expect(first.stdout).toMatch(/^composites 28 x 32 from fashion-mnist/m);
    expect(first.stdout).toMatch(/^\[1\/4\] semi-synthetic_simclr_n320_r0\.06666666666666667_s0: rare probe [\d.]+% {2}label half: frequent [\d.]+% {2}rare [\d.]+%/m);
    expect(first.stdout).toMatch(/^\[3\/4\] semi-synthetic_supervised-rare_n20_r1_s0: rare probe/m);
    expect(first.stdout).toContain('4 computed, 0 skipped (done before), 0 failed');
    expect(readdirSync(join(out, 'cells')).sort()).toEqual(['semi-synthetic_random_n0_r1_s0.json', 'semi-synthetic_simclr_n320_r0.06666666666666667_s0.json', 'semi-synthetic_supervised-rare_n20_r1_s0.json', 'semi-synthetic_supervised_n320_r0.06666666666666667_s0.json']);
    const cell = JSON.parse(readFileSync(join(out, 'cells', 'semi-synthetic_supervised-rare_n20_r1_s0.json'), 'utf8'));
    expect(cell.cell).toEqual({ id: 'semi-synthetic_supervised-rare_n20_r1_s0', protocol: 'semi-synthetic', method: 'supervised-rare', family: 'sl', n: 20, r: 1, seed: 0 });
    expect(cell.classCounts).toEqual([4, 4, 4, 4, 4]);
    for (const m of ['rare.linear', 'frequent.linear', 'gradcam.frequent.labelShare', 'gradcam.rare.labelShare']) {
      expect(cell.metrics[m]).toBeGreaterThanOrEqual(0);
      expect(cell.metrics[m]).toBeLessThanOrEqual(1);
    }
    expect(cell.perClass['rare.linear']).toHaveLength(5);
    // The quick preset keeps 3 overlays of each kind per cell.
    const examples = JSON.parse(readFileSync(join(out, 'gradcam', 'semi-synthetic_random_n0_r1_s0.json'), 'utf8'));
    expect(examples.examples.map((e: { kind: string }) => e.kind)).toEqual(['frequent', 'frequent', 'frequent', 'rare', 'rare', 'rare']);
    expect(examples.examples[0].cam).toMatchObject({ height: 7, width: 8 });

    const again = await cli('run', 'semi-synthetic', '--preset', 'quick', '--backend', 'onnx', '--out', out);
    expect(again.stdout).toContain('0 computed, 4 skipped (done before), 0 failed');

    const report = await cli('report', out);
    expect(report.stderr).toBe('');
    expect(report.code).toBe(0);
    expect(report.stdout).toMatch(/figures in .*: semi-synthetic, gradcam-overlays \(\.svg and \.png\)/);
    expect(report.stdout).toContain('Grad-CAM overlays: gradcam-simclr-s0.png, gradcam-supervised-s0.png, gradcam-supervised-rare-s0.png, gradcam-random-s0.png');
    const figures = join(out, 'report', 'figures');
    for (const f of ['semi-synthetic.png', 'gradcam-overlays.png', 'gradcam-overlays.svg', 'gradcam-simclr-s0.png']) expect(existsSync(join(figures, f)), f).toBe(true);
    const png = readFileSync(join(figures, 'gradcam-simclr-s0.png'));
    expect([...png.subarray(1, 4)].map((b) => String.fromCharCode(b)).join('')).toBe('PNG');
    // 6 overlays of a 28 x 32 composite at 6x, 24 pixels apart.
    expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([6 * 192 + 5 * 24, 168]);
    const markdown = readFileSync(join(out, 'report', 'report.md'), 'utf8');
    expect(markdown).toContain('## Semi-synthetic study');
    expect(markdown).toMatch(/\| simclr \| SSL \| 320 \| 0\.06666666666666667 \| 1 \| [\d.]+ ± 0\.00 \|/);
    expect(markdown).toContain('figures/gradcam-overlays.png');
  }, 180_000);

  it('lists the default sweep with a measured estimate, and refuses what does not apply', async () => {
    const dry = await cli('run', 'semi-synthetic', '--backend', 'onnx', '--dry-run', '--seeds', '2', '--out', join(dir, 'dry'));
    expect(dry.code).toBe(0);
    expect(dry.stdout).toMatch(/^ {2}semi-synthetic_supervised-rare_n50_r1_s1$/m);
    expect(dry.stdout).toMatch(new RegExp(`^8 cells; estimated ${DURATION} on onnx \\(measured steps`, 'm'));
    expect(existsSync(join(dir, 'dry', 'cells'))).toBe(false);
    expect((await cli('run', 'semi-synthetic', '--ood-data', 'mnist')).stderr).toMatch(/^ltssl: --ood-data does not apply to the semi-synthetic protocol/);
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ rareCount: 5000, arms: ['simclr', 'nope'] }));
    const run = await cli('run', 'semi-synthetic', '--config', bad);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^ltssl: invalid semi-synthetic configuration: .*arms\[1\].*\n$/);
  }, 120_000);
});
