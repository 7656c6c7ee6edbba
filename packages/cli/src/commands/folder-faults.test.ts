import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadCheckpoint, setFaultHook, studyLockName, tryLease, type Checkpoint } from '@ltssl/experiments';
import { mountTmpfs, tmpfsUnavailable } from '@ltssl/testing';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { cli, writeJson } from '../test-io.js';

const dir = mkdtempSync(join(tmpdir(), 'ltssl-folder-faults-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const toy = writeJson(dir, 'toy.json', { dim: 20, frequentCount: 20, ratios: [1, 0.1], seeds: 1, sl: { steps: 100 }, ssl: { steps: 40 }, probe: { testPerClass: 50, steps: 100 } });
const tinyTrain = ['--backend', 'onnx', '--method', 'simsiam', '--width', '4', '--total', '512', '--ratio', '0.1', '--batch', '64', '--projector-dim', '16', '--predictor-dim', '8', '--knn-every', '0'];

describe('the study folder is checked before any work', () => {
  // Node's recursive mkdir spun forever on /proc: this returned never.
  it('refuses --out /proc/x at once with one line, exit 2', async () => {
    const run = await cli('run', 'toy', '--backend', 'onnx', '--config', toy, '--out', '/proc/x');
    expect(run).toEqual({ code: 2, stdout: '', stderr: 'ltssl: /proc/x: cannot create the study folder (--out): the file system of /proc does not allow new folders; give a folder on a writable disk\n' });
  });

  it('refuses an --out that is a file, in words rather than EEXIST', async () => {
    const file = join(dir, 'a-file');
    writeFileSync(file, 'x');
    const run = await cli('run', 'toy', '--backend', 'onnx', '--config', toy, '--out', file);
    expect(run).toEqual({ code: 2, stdout: '', stderr: `ltssl: ${file}: is a file, not a folder; give a folder as the study folder (--out)\n` });
  });

  it('refuses a second ltssl run on a folder another one holds, naming the holder', async () => {
    const out = join(dir, 'locked');
    const held = await tryLease(studyLockName(out), 'ltssl run toy');
    if (!('lease' in held)) throw new Error('expected to take the lock');
    try {
      const run = await cli('run', 'toy', '--backend', 'onnx', '--config', toy, '--out', out);
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(new RegExp(`^ltssl: ${out} is in use by pid ${process.pid} on \\S+ \\(ltssl run toy, since .*\\): one 'ltssl run' at a time computes a study folder; wait for it to finish, or add workers`));
      expect(readdirSync(out)).not.toContain('cells');
    } finally {
      await held.lease.release();
    }
  });

  const noTmpfs = tmpfsUnavailable();
  it.skipIf(noTmpfs !== undefined)(`reports a read-only --out as read-only, before training${noTmpfs ? ` (skipped: ${noTmpfs})` : ''}`, async () => {
    const ro = mountTmpfs('64k');
    try {
      ro.remountReadOnly();
      const train = await cli('train', ...tinyTrain, '--epochs', '1', '--out', join(ro.dir, 'ckpt'));
      expect(train.code).toBe(2);
      expect(train.stdout).toBe('');
      expect(train.stderr).toMatch(/^ltssl: .*ckpt: cannot create the checkpoint folder \(--out\) .*: the file system is read-only; the file system is read-only: give an --out on a writable one\n$/);
    } finally {
      ro.unmount();
    }
  });
});

describe('ltssl train checks its flags and --out before any work', () => {
  it.each([
    ['--total', '0', '--total must be a positive integer (images in the pre-training subset), got 0'],
    ['--width', '0', "--width must be a positive integer (the encoder's first-stage channels), got 0"],
    ['--checkpoint-every', '0', '--checkpoint-every must be a positive integer (epochs between checkpoints), got 0'],
  ])('%s %s', async (flag, value, message) => {
    const train = await cli('train', ...tinyTrain, flag, value);
    expect(train).toEqual({ code: 2, stdout: '', stderr: `ltssl: ${message}\n` });
  });

  it('refuses an unwritable --out before training, not after', async () => {
    const train = await cli('train', ...tinyTrain, '--epochs', '1', '--out', '/proc/x');
    expect(train).toEqual({ code: 2, stdout: '', stderr: 'ltssl: /proc/x: cannot create the checkpoint folder (--out): the file system of /proc does not allow new folders; give a folder on a writable disk\n' });
  });
});

describe('SIGINT, SIGTERM and SIGHUP stop at the end of a step', () => {
  afterEach(() => setFaultHook(undefined));
  const withoutTimes = (c: Checkpoint): unknown => ({ state: c.state, history: c.metadata.progress!.history.map(({ seconds: _, ...e }) => e) });
  const args = [...tinyTrain, '--epochs', '2', '--checkpoint-every', '1'];
  const whole = join(dir, 'whole');

  it.each([
    ['SIGTERM', 143],
    ['SIGINT', 130],
    ['SIGHUP', 129],
  ] as const)('%s: one line on how to resume, exit %i; the rerun ends as an uninterrupted run does', async (signal, exitCode) => {
    const out = join(dir, `stopped-${signal}`);
    // The signal comes on an event: the first checkpoint's file being renamed into place.
    setFaultHook((point, file) => void (point === 'rename' && file.endsWith('epoch-0001.safetensors') && process.emit(signal)));
    const first = await cli('train', ...args, '--out', out);
    setFaultHook(undefined);
    expect(first.stderr).toBe(`ltssl: stopped by ${signal} at the start of epoch 2; rerun the same command to resume from the checkpoint after epoch 1\n`);
    expect(first.code).toBe(exitCode);
    expect(readdirSync(out)).toEqual(['epoch-0001.safetensors']);
    if (signal !== 'SIGTERM') return; // the resume is the same whichever signal stopped it: checked once
    expect((await cli('train', ...args, '--out', whole)).code).toBe(0);
    const rerun = await cli('train', ...args, '--out', out);
    expect(rerun.stdout).toContain('resuming from the checkpoint after epoch 1');
    expect(rerun.code).toBe(0);
    const [resumed, uninterrupted] = await Promise.all([loadCheckpoint(join(out, 'epoch-0002.safetensors')), loadCheckpoint(join(whole, 'epoch-0002.safetensors'))]);
    expect(withoutTimes(resumed)).toEqual(withoutTimes(uninterrupted));
  }, 120_000);
});
