import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeCifar } from '@ltssl/experiments';
import { afterAll, describe, expect, it } from 'vitest';
import { cli, writeJson } from '../test-io.js';

const dir = mkdtempSync(join(tmpdir(), 'ltssl-sizes-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const config = (name: string, fields: unknown): string => writeJson(dir, name, fields);

/** A CIFAR-10 binary folder with `perClass` train images a class (over the five batches) and `testPerClass` test images a class. */
function cifarFolder(name: string, perClass: number, testPerClass: number): string {
  const folder = join(dir, name);
  mkdirSync(folder, { recursive: true });
  const records = (count: number) => ({ count, channels: 3, height: 32, width: 32, pixels: new Uint8Array(count * 3072).map((_, i) => (i * 7) % 256), labels: Int32Array.from({ length: count }, (_, i) => i % 10) });
  for (let b = 1; b <= 5; b++) writeFileSync(join(folder, `data_batch_${b}.bin`), encodeCifar(records((perClass * 10) / 5), 'cifar-10'));
  writeFileSync(join(folder, 'test_batch.bin'), encodeCifar(records(testPerClass * 10), 'cifar-10'));
  return folder;
}

/** What a refused run leaves: exit 2, one line on stderr, no driver started, no study folder. */
function expectRefused(run: { code: number; stdout: string; stderr: string }, out: string): void {
  expect(run.code).toBe(2);
  expect(run.stderr.trimEnd().split('\n')).toHaveLength(1);
  expect(run.stdout).not.toMatch(/^driver /m);
  expect(existsSync(out)).toBe(false);
}

describe('sizes are checked against the data before any work', () => {
  const huge = config('huge.json', { sizes: [1_000_000] });
  const message =
    "ltssl: the imbalance configuration asks for more than its data holds: sizes[0] = 1000000: the balanced set needs 100000 images of class 0 ('T-shirt/top'), but fashion-mnist/train holds 1000 (at most n = 2177 fits the exp profile at r = 1 and 0.004)\n";

  it('refuses n = 1,000,000 in a run, naming the field, the need, what the data holds and what fits', async () => {
    const out = join(dir, 'huge');
    const run = await cli('run', 'imbalance', '--backend', 'onnx', '--config', huge, '--out', out);
    expect(run.stderr).toBe(message);
    expectRefused(run, out);
  });

  it('refuses it in --dry-run too, before timing any step', async () => {
    const out = join(dir, 'huge-dry');
    const run = await cli('run', 'imbalance', '--backend', 'onnx', '--dry-run', '--config', huge, '--out', out);
    expect(run.stderr).toBe(message);
    expect(run.stdout).not.toContain('timing steps');
    expectRefused(run, out);
  });

  it('refuses it for one cell as well', async () => {
    const out = join(dir, 'huge-cell');
    const run = await cli('cell', '--backend', 'onnx', '--config', huge, '--cell', 'imbalance_simclr_n1000000_r1_s0', '--out', out);
    expect(run.stderr).toBe(message);
    expectRefused(run, out);
  });

  it('refuses a few-shot k larger than a class holds, and an OOD per-class count larger than the OOD set holds', async () => {
    const out = join(dir, 'probes');
    const fewShot = await cli('run', 'imbalance', '--dry-run', '--config', config('few-shot.json', { probe: { fewShot: [10, 1001] } }), '--out', out);
    expect(fewShot.stderr).toBe("ltssl: the imbalance configuration asks for more than its data holds: probe.fewShot[1] = 1001: 1001 images of each class for the few-shot probe, but fashion-mnist/train holds 1000 of class 0 ('T-shirt/top') (at most 1000)\n");
    expectRefused(fewShot, out);
    const ood = await cli('run', 'imbalance', '--config', config('ood.json', { probe: { oodPerClass: 6000 } }), '--out', out);
    expect(ood.stderr).toBe("ltssl: the imbalance configuration asks for more than its data holds: probe.oodPerClass = 6000: 6000 images of each class for the out-of-domain probe, but mnist/train holds 5421 of class 5 ('5') (at most 5421)\n");
    expectRefused(ood, out);
  });

  it("refuses the paper preset on a CIFAR-10 folder too small for it, in --dry-run, before timing ResNet-18's steps", async () => {
    const cifar = cifarFolder('cifar-small', 20, 2);
    const out = join(dir, 'paper');
    const run = await cli('run', 'imbalance', '--preset', 'paper', '--backend', 'onnx', '--dry-run', '--data', cifar, '--ood-data', cifar, '--out', out);
    expectRefused(run, out);
    expect(run.stdout).not.toContain('timing steps');
    const problems = run.stderr.replace(/^ltssl: the imbalance configuration asks for more than its data holds: /, '').trimEnd().split('; ');
    expect(problems.map((p) => p.split(':')[0])).toEqual(['sizes[0] = 1550', 'sizes[1] = 3100', 'sizes[2] = 6200', 'sizes[3] = 9300', 'sizes[4] = 12400', 'probe.fewShot[1] = 50', 'probe.oodPerClass = 500']);
    expect(problems[4]).toMatch(new RegExp(`^sizes\\[4\\] = 12400: the balanced set needs 1240 images of class 0, but ${cifar.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/train holds 20 \\(at most n = \\d+ fits the exp profile at r = 1 and 0\\.1 and 0\\.01\\)$`));
  });

  it('checks the semi-synthetic and rwsam sizes against their source set', async () => {
    const out = join(dir, 'other');
    const semi = await cli('run', 'semi-synthetic', '--dry-run', '--config', config('semi.json', { frequentCount: 1001 }), '--out', out);
    expect(semi.stderr).toBe("ltssl: the semi-synthetic configuration asks for more than its data holds: frequentCount = 1001: 1001 images of each frequent source class for the pre-training composites, but fashion-mnist/train holds 1000 of class 1 ('Trouser') (at most 1000)\n");
    expectRefused(semi, out);
    const rwsam = await cli('run', 'rwsam', '--dry-run', '--config', config('rwsam.json', { size: 20_000 }), '--out', out);
    expect(rwsam.stderr).toMatch(/^ltssl: the rwsam configuration asks for more than its data holds: size = 20000: at r = 0\.01 the step profile needs \d+ images of class 0 \('T-shirt\/top'\), but fashion-mnist\/train holds 1000 \(at most n = \d+ fits the step profile at r = 0\.01, the exp profile at r = 0\.01, the balanced set\)\n$/);
    expectRefused(rwsam, out);
  });
});
