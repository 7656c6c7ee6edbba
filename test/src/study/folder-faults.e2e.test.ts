import { spawn, spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { mountTmpfs, tmpfsUnavailable } from '@ltssl/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeSyntheticIdxFolder } from './synthetic-idx-folder.js';

// Faults planted on events in the built CLI (LTSSL_FAULT: SIGKILL half way through the Nth write of a kind),
// a SIGTERM when the first checkpoint appears, two workers on one cell, and a full disk.
const bin = join(dirname(createRequire(import.meta.url).resolve('@ltssl/cli/package.json')), 'dist', 'main.js');
const root = mkdtempSync(join(tmpdir(), 'ltssl-faults-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const data = writeSyntheticIdxFolder(join(root, 'data'), { perClass: 16, testPerClass: 6, seed: 1 });
const config = join(root, 'config.json');
writeFileSync(
  config,
  JSON.stringify({
    data,
    oodData: data,
    methods: ['simsiam'],
    sizes: [160],
    ratios: [1],
    seeds: 1,
    encoder: { arch: 'small-cnn', width: 4 },
    pretrain: { epochs: 3, batch: 32, checkpointEvery: 1 },
    methodOptions: { simsiam: { projectorDim: 16, predictorDim: 8 } },
    probe: { kind: 'cached', epochs: 2, fewShot: [2], oodPerClass: 6 },
  }),
);
const SIMSIAM = 'imbalance_simsiam_n160_r1_s0';
const args = (out: string): string[] => [bin, 'run', 'imbalance', '--config', config, '--backend', 'onnx', '--out', out];
const run = (out: string, fault?: string): SpawnSyncReturns<string> =>
  spawnSync(process.execPath, args(out), { encoding: 'utf8', env: { ...process.env, ...(fault ? { LTSSL_FAULT: fault } : {}) } });

interface Cell {
  status: string;
  metrics: Record<string, number>;
  epochs?: { epoch: number; loss: number; seconds: number }[];
}
const cellOf = (dir: string, id: string): Cell => JSON.parse(readFileSync(join(dir, 'cells', `${id}.json`), 'utf8')) as Cell;
const ids = (dir: string): string[] => (existsSync(join(dir, 'cells')) ? readdirSync(join(dir, 'cells')).filter((f) => f.endsWith('.json')).map((f) => f.slice(0, -5)).sort() : []);
/** Each cell's status, metrics and epoch history (without times): what an interruption must not change. */
const table = (dir: string): Record<string, unknown> =>
  Object.fromEntries(
    ids(dir).map((id) => {
      const c = cellOf(dir, id);
      return [id, { status: c.status, metrics: c.metrics, epochs: c.epochs?.map(({ seconds: _, ...e }) => e) }];
    }),
  );
/** Temporary files and leases anywhere in the folder. */
const leftovers = (dir: string): string[] => (readdirSync(dir, { recursive: true }) as string[]).filter((n) => /\.tmp$|\.lock$|\.owner\.[^/]*\.json$/.test(n));

let reference: Record<string, unknown>;
beforeAll(() => {
  const whole = run(join(root, 'whole'));
  expect(whole.status, whole.stderr).toBe(0);
  reference = table(join(root, 'whole'));
  expect(Object.keys(reference)).toEqual(['imbalance_random_n160_r1_s0', SIMSIAM].sort());
}, 120_000);

describe('SIGKILL during a checkpoint, a cell file and a store transaction', () => {
  it('resumes each time to the uninterrupted numbers: no finished cell recomputed, no epoch lost, no temporary file left', () => {
    const dir = join(root, 'killed');
    // 1: killed half way through the second checkpoint of the first cell.
    const first = run(dir, 'write:checkpoints/:2');
    expect(first.signal).toBe('SIGKILL');
    expect(readdirSync(join(dir, 'checkpoints', SIMSIAM)).some((n) => n.endsWith('.tmp'))).toBe(true);
    const before = Object.fromEntries(ids(dir).map((id) => [id, readFileSync(join(dir, 'cells', `${id}.json`), 'utf8')]));
    expect(Object.keys(before)).not.toContain(SIMSIAM);
    // 2: resumes from the first checkpoint, killed half way through writing the cell's result.
    const second = run(dir, `write:cells/${SIMSIAM}:1`);
    expect(second.signal).toBe('SIGKILL');
    expect(second.stdout).toContain(`${SIMSIAM}: resuming from its checkpoint after epoch 1`);
    expect(ids(dir)).toEqual(Object.keys(before));
    // 3: resumes from its last checkpoint, writes its result, killed inside the store's transaction of it.
    const third = run(dir, 'store::1');
    expect(third.signal).toBe('SIGKILL');
    expect(ids(dir)).toContain(SIMSIAM);
    const finished = { ...before, [SIMSIAM]: readFileSync(join(dir, 'cells', `${SIMSIAM}.json`), 'utf8') };
    // 4: no fault: the finished cell is skipped, the other computed, the store checked against both files.
    const last = run(dir);
    expect(last.status, last.stderr).toBe(0);
    expect(last.stdout).toContain(`${SIMSIAM}: done before, skipped`);
    for (const [id, text] of Object.entries(finished)) expect(readFileSync(join(dir, 'cells', `${id}.json`), 'utf8'), `${id} was recomputed`).toBe(text);
    expect(table(dir)).toEqual(reference);
    expect(cellOf(dir, SIMSIAM).epochs!.map((e) => e.epoch)).toEqual([0, 1, 2]);
    expect(leftovers(dir)).toEqual([]);
  }, 180_000);
});

describe('SIGTERM', () => {
  it('stops at the end of a step once the first checkpoint is written, says how to resume, exits 143; the rerun ends with the same table', async () => {
    const dir = join(root, 'terminated');
    const child = spawn(process.execPath, args(dir), { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
    const checkpoint = join(dir, 'checkpoints', SIMSIAM, 'epoch-0001.safetensors');
    // The event: the first checkpoint file in place (polled, not timed).
    await new Promise<void>((done) => {
      const poll = setInterval(() => {
        if (existsSync(checkpoint) || child.exitCode !== null) {
          clearInterval(poll);
          child.kill('SIGTERM');
          done();
        }
      }, 5);
    });
    const code = await new Promise<number | null>((done) => child.on('exit', (c) => done(c)));
    expect(code).toBe(143);
    expect(stderr).toMatch(new RegExp(`^ltssl: stopped by SIGTERM in ${SIMSIAM} (at the start of epoch \\d|in epoch \\d after \\d+ steps?); rerun the same command to resume: finished cells are kept, cell ${SIMSIAM} resumes from its checkpoint after epoch \\d( and \\d+ steps)?\\n$`));
    const rerun = run(dir);
    expect(rerun.status, rerun.stderr).toBe(0);
    expect(table(dir)).toEqual(reference);
    expect(leftovers(dir)).toEqual([]);
  }, 120_000);
});

describe('two workers on one cell', () => {
  it('never compute it twice: the second finds the lease held and leaves the cell to the first', async () => {
    const dir = join(root, 'workers');
    const study = join(root, 'whole', 'study.json');
    const cell = (): Promise<{ code: number | null; stdout: string }> =>
      new Promise((done) => {
        const child = spawn(process.execPath, [bin, 'cell', '--config', study, '--cell', SIMSIAM, '--out', dir, '--backend', 'onnx'], { stdio: ['ignore', 'pipe', 'inherit'] });
        let stdout = '';
        child.stdout.on('data', (b: Buffer) => (stdout += b.toString()));
        child.on('exit', (code) => done({ code, stdout }));
      });
    const [a, b] = await Promise.all([cell(), cell()]);
    expect([a.code, b.code]).toEqual([0, 0]);
    const computed = [a, b].filter((r) => r.stdout.includes('1 computed')).length;
    const left = [a, b].filter((r) => /being computed by pid \d+/.test(r.stdout) || r.stdout.includes('done before, skipped')).length;
    expect([computed, left]).toEqual([1, 1]);
    expect(table(dir)[SIMSIAM]).toEqual(reference[SIMSIAM]);
  }, 120_000);
});

describe('a full disk', () => {
  const noTmpfs = tmpfsUnavailable();
  it.skipIf(noTmpfs !== undefined)(`stops the sweep at the first cell that cannot be saved, naming the file${noTmpfs ? ` (skipped: ${noTmpfs})` : ''}`, () => {
    const fs = mountTmpfs('300k');
    try {
      const dir = join(fs.dir, 'study');
      const full = run(dir);
      expect(full.status).toBe(1);
      // Which write meets the full disk first (a checkpoint, a cell file, the store) depends on the sizes; each names its file.
      expect(full.stderr).toMatch(new RegExp(`^ltssl: ${fs.dir}/study(/\\S+: cannot [^\\n]*(no space left on the device|database or disk is full)|: \\d+ KiB free, but cell \\S+ writes about \\d+ KiB)[^\\n]*; free space there \\(or give another --out\\) and rerun: finished cells are kept\\n$`));
      expect(JSON.parse(readFileSync(join(dir, 'study.json'), 'utf8'))).toMatchObject({ protocol: 'imbalance' });
      for (const id of ids(dir)) expect(cellOf(dir, id).status).toBe('done');
      expect(leftovers(dir)).toEqual([]);
    } finally {
      fs.unmount();
    }
  }, 120_000);
});
