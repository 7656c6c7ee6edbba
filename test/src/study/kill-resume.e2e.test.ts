import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeSyntheticIdxFolder } from './synthetic-idx-folder.js';

const cliPackage = createRequire(import.meta.url).resolve('@ltssl/cli/package.json');
const bin = join(dirname(cliPackage), 'dist', 'main.js');
const root = mkdtempSync(join(tmpdir(), 'ltssl-kill-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const data = writeSyntheticIdxFolder(join(root, 'data'), { perClass: 40, testPerClass: 10, seed: 1 });
const ood = writeSyntheticIdxFolder(join(root, 'ood'), { perClass: 20, testPerClass: 10, seed: 2 });
const config = join(root, 'config.json');
writeFileSync(
  config,
  JSON.stringify({
    data,
    oodData: ood,
    methods: ['simsiam', 'supervised'],
    sizes: [160],
    ratios: [1, 0.1],
    seeds: 2,
    encoder: { arch: 'small-cnn', width: 4 },
    pretrain: { epochs: 3, batch: 32, checkpointEvery: 1 },
    methodOptions: { simsiam: { projectorDim: 16, predictorDim: 8 } },
    probe: { kind: 'cached', epochs: 5, fewShot: [2], oodPerClass: 20 },
  }),
);
const args = (out: string): string[] => [bin, 'run', 'imbalance', '--config', config, '--backend', 'onnx', '--out', out];

function table(dir: string): Record<string, Record<string, number>> {
  const cells = join(dir, 'cells');
  return Object.fromEntries(
    readdirSync(cells)
      .filter((f) => f.endsWith('.json'))
      .sort()
      .map((f) => {
        const r = JSON.parse(readFileSync(join(cells, f), 'utf8')) as { status: string; metrics: Record<string, number> };
        expect(r.status).toBe('done');
        return [f, r.metrics];
      }),
  );
}

describe('a sweep killed with SIGKILL and rerun', () => {
  it('ends with the same table as an uninterrupted run, without recomputing finished cells', async () => {
    const whole = join(root, 'whole');
    const run = spawnSync(process.execPath, args(whole), { encoding: 'utf8' });
    expect(run.status, run.stderr).toBe(0);
    const reference = table(whole);
    expect(Object.keys(reference)).toHaveLength(10);

    const killed = join(root, 'killed');
    const child = spawn(process.execPath, args(killed), { stdio: 'ignore' });
    // Kill at a random point after the first cell finished: mid-pretraining, mid-evaluation or between cells.
    const cells = join(killed, 'cells');
    await new Promise<void>((done, fail) => {
      const started = Date.now();
      const poll = setInterval(() => {
        if (existsSync(cells) && readdirSync(cells).some((f) => f.endsWith('.json'))) {
          clearInterval(poll);
          setTimeout(() => {
            child.kill('SIGKILL');
            done();
          }, Math.random() * 1000);
        } else if (Date.now() - started > 120_000) {
          clearInterval(poll);
          fail(new Error('no cell finished within 120 s'));
        }
      }, 20);
    });
    const signal = await new Promise<NodeJS.Signals | null>((done) => child.on('exit', (_code, sig) => done(sig)));
    expect(signal, 'the sweep finished before the kill: the test needs a longer sweep').toBe('SIGKILL');
    const finishedBefore = new Map(readdirSync(cells).filter((f) => f.endsWith('.json')).map((f) => [f, readFileSync(join(cells, f), 'utf8')]));
    expect(finishedBefore.size).toBeGreaterThan(0);

    const rerun = spawnSync(process.execPath, args(killed), { encoding: 'utf8' });
    expect(rerun.status, rerun.stderr).toBe(0);
    expect(rerun.stdout.match(/done before, skipped/g)?.length ?? 0).toBe(finishedBefore.size);
    for (const [file, content] of finishedBefore) expect(readFileSync(join(cells, file), 'utf8'), `${file} was recomputed`).toBe(content);
    expect(table(killed)).toEqual(reference);
    // Nothing of the kill is left: no temporary file or lease, and every pre-trained cell has all its epochs.
    expect((readdirSync(killed, { recursive: true }) as string[]).filter((n) => /\.tmp$|\.lock$|\.owner\.[^/]*\.json$/.test(n))).toEqual([]);
    for (const file of readdirSync(cells).filter((f) => f.endsWith('.json') && !f.includes('_random_'))) {
      expect((JSON.parse(readFileSync(join(cells, file), 'utf8')) as { epochs: { epoch: number }[] }).epochs.map((e) => e.epoch), file).toEqual([0, 1, 2]);
    }
  }, 600_000);
});
