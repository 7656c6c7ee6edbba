import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dataFixture } from '@ltssl/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { cli, writeJson } from '../test-io.js';

const dir = mkdtempSync(join(tmpdir(), 'ltssl-own-data-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A tiny imbalance sweep: one method, r = 1 and 0.5, one seed, no OOD, one epoch of a width-4 small CNN. */
function tiny(name: string, n: number, extra: Record<string, unknown> = {}): string {
  return writeJson(dir, name, {
    methods: ['supervised'],
    randomInit: false,
    ratios: [1, 0.5],
    sizes: [n],
    seeds: 1,
    oodData: null,
    encoder: { arch: 'small-cnn', width: 4 },
    pretrain: { epochs: 1, batch: 4, checkpointEvery: 1 },
    probe: { epochs: 1, fewShot: [1] },
    knn: { k: 1 },
    ...extra,
  });
}

function cellFiles(out: string): Record<string, { status: string; data: { inDomain: string; subset?: { file: string; sha256: string; count: number } }; classCounts: number[] }> {
  const cells = join(out, 'cells');
  return Object.fromEntries(readdirSync(cells).map((f) => [f.replace(/\.json$/, ''), JSON.parse(readFileSync(join(cells, f), 'utf8'))]));
}

describe("ltssl run imbalance on a researcher's own data", () => {
  it('runs on an ImageFolder of PNGs, decoding the images once into the study folder', async () => {
    const out = join(dir, 'image-folder');
    const data = dataFixture('image-folder');
    const run = await cli('run', 'imbalance', '--backend', 'onnx', '--config', tiny('if.json', 6), '--data', data, '--out', out);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('2 computed, 0 skipped (done before), 0 failed');
    const cells = cellFiles(out);
    expect(cells['imbalance_supervised_n6_r0.5_s0']).toMatchObject({ status: 'done', data: { inDomain: data }, classCounts: [3, 2, 1] });
    expect(readdirSync(join(out, 'data-cache')).filter((f) => f.endsWith('.bin'))).toHaveLength(2);
    expect(existsSync(`${data}.ltssl-cache`)).toBe(false);
  }, 60_000);

  it('runs on cifar-10-binary.tar.gz as downloaded', async () => {
    const out = join(dir, 'cifar');
    const run = await cli('run', 'imbalance', '--backend', 'onnx', '--config', tiny('cifar.json', 20), '--data', dataFixture('cifar-10-binary.tar.gz'), '--out', out);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(Object.values(cellFiles(out)).map((c) => c.status)).toEqual(['done', 'done']);
  }, 60_000);

  it('runs on a folder of .npy image and label arrays, on the subsets a --subset-file gives, and records them', async () => {
    const out = join(dir, 'npy');
    // 2 images of each class at r = 1; at r = 0.5 the head classes get more (the first 20 images of the split cycle the classes).
    const balanced = Array.from({ length: 20 }, (_, i) => String(i)).join('\n') + '\n';
    const longTail = [0, 10, 20, 30, 1, 11, 21, 2, 12, 22, 3, 13, 4, 14, 5, 15, 6, 7, 8, 9].join('\n') + '\n';
    writeFileSync(join(dir, 'r1.txt'), balanced);
    writeFileSync(join(dir, 'r05.txt'), longTail);
    const args = ['run', 'imbalance', '--backend', 'onnx', '--config', tiny('npy.json', 20), '--data', dataFixture('numpy-nhwc'), '--out', out];
    const run = await cli(...args, '--subset-file', `1=${join(dir, 'r1.txt')}`, `0.5=${join(dir, 'r05.txt')}`);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/; pre-training subsets from .*r1\.txt, .*r05\.txt; small-cnn width 4/);
    const cells = cellFiles(out);
    const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
    expect(cells['imbalance_supervised_n20_r1_s0']).toMatchObject({ classCounts: [2, 2, 2, 2, 2, 2, 2, 2, 2, 2], data: { subset: { file: join(dir, 'r1.txt'), sha256: sha256(balanced), count: 20 } } });
    expect(cells['imbalance_supervised_n20_r0.5_s0']).toMatchObject({ classCounts: [4, 3, 3, 2, 2, 2, 1, 1, 1, 1], data: { subset: { file: join(dir, 'r05.txt'), sha256: sha256(longTail), count: 20 } } });
    // A subset of another size than n is refused before any work, naming the fix.
    const wrong = await cli('run', 'imbalance', '--backend', 'onnx', '--config', tiny('npy-wrong.json', 18), '--data', dataFixture('numpy-nhwc'), '--out', join(dir, 'npy-wrong'), '--subset-file', `1=${join(dir, 'r1.txt')}`, `0.5=${join(dir, 'r05.txt')}`);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toBe(`ltssl: the imbalance configuration asks for more than its data holds: sizes[0] = 18: the pre-training subset of r = 1 must hold n images, but ${join(dir, 'r1.txt')} lists 20 (set sizes to [20])\n`);
  }, 60_000);

  it('refuses --test-data and --subset-file where the protocol does not take them', async () => {
    const toy = await cli('run', 'toy', '--subset-file', 'splits.json');
    expect(toy.code).toBe(2);
    expect(toy.stderr).toBe('ltssl: --test-data and --subset-file do not apply to the toy protocol: its data is generated\n');
    const mixed = await cli('run', 'imbalance', '--subset-file', 'a.json', '0.5=b.txt');
    expect(mixed.code).toBe(2);
    expect(mixed.stderr).toBe('ltssl: --subset-file a.json: give one JSON map FILE, or R=FILE for each ratio r (e.g. --subset-file 1=balanced.txt 0.01=split1_D_i.txt)\n');
  });
});
