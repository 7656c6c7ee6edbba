import { mkdtempSync, rmSync, unlinkSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { itNeeding, SOFTWARE_WEBGPU, type SystemRequirement } from '@ltssl/testing';
import { loadCheckpoint, type Checkpoint } from '@ltssl/experiments';
import { cli, DURATION } from '../test-io.js';

const dir = mkdtempSync(join(tmpdir(), 'ltssl-train-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// A tiny SimSiam run: 512 long-tailed images, width 4, small heads; seconds on the ONNX driver.
const tiny = ['--backend', 'onnx', '--method', 'simsiam', '--width', '4', '--total', '512', '--ratio', '0.1', '--batch', '64', '--projector-dim', '16', '--predictor-dim', '8', '--knn-every', '1', '--checkpoint-every', '1'];

describe('ltssl train', () => {
  it('trains, prints loss, the collapse monitor, kNN and ETA per epoch, and checkpoints', async () => {
    const out = join(dir, 'run');
    const { code, stdout, stderr } = await cli('train', ...tiny, '--epochs', '2', '--out', out);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toMatch(/^simsiam on fashion-mnist \(512 images, exp r=0\.1: \[\d+(, \d+){9}\]\), small-cnn width 4 \(16 features\)$/m);
    expect(stdout).toMatch(new RegExp(String.raw`^epoch 1/2 {2}loss -?[\d.]+ {2}collapseStd [\d.]+ {2}kNN [\d.]+% {2}${DURATION} {2}ETA `, 'm'));
    expect(existsSync(join(out, 'epoch-0001.safetensors'))).toBe(true);
    expect(existsSync(join(out, 'epoch-0002.safetensors'))).toBe(true);
  }, 60_000);

  it('resumes from the newest checkpoint and ends with the same state and the whole history of an uninterrupted run', async () => {
    const out = join(dir, 'run');
    const last = join(out, 'epoch-0002.safetensors');
    const uninterrupted = await loadCheckpoint(last);
    unlinkSync(last);
    const { code, stdout } = await cli('train', ...tiny, '--epochs', '2', '--out', out);
    expect(code).toBe(0);
    expect(stdout).toContain('resuming from the checkpoint after epoch 1');
    expect(stdout).not.toMatch(/^epoch 1\/2/m);
    const resumed = await loadCheckpoint(last);
    expect(resumed.state).toEqual(uninterrupted.state);
    // Both epochs, the first carried by the checkpoint it resumed from; only the times differ.
    const withoutTimes = (c: Checkpoint) => c.metadata.progress!.history.map(({ seconds: _, ...e }) => e);
    expect(withoutTimes(resumed)).toHaveLength(2);
    expect(withoutTimes(resumed)).toEqual(withoutTimes(uninterrupted));
    expect(resumed.metadata.progress!.startedAt).toBe(uninterrupted.metadata.progress!.startedAt);
  }, 60_000);

  it('refuses to resume a run of another configuration', async () => {
    const { code, stderr } = await cli('train', ...tiny, '--epochs', '3', '--out', join(dir, 'run'));
    expect(code).toBe(1);
    expect(stderr).toMatch(/written by a run with another configuration .*; use another output folder, or remove the old checkpoints to start over\n$/);
  });

  it('stops a diverging run at the step, naming the method and the last finite loss', async () => {
    const { code, stderr } = await cli('train', ...tiny, '--method', 'supervised', '--projector-dim', '0', '--epochs', '1', '--lr', '1e12').catch(() => ({ code: -1, stderr: '' }));
    // supervised takes no projector option: a usage error first.
    expect(code).toBe(2);
    expect(stderr).toBe('ltssl: --projector-dim, --predictor-dim do not apply to supervised; it takes no method options\n');
    const diverged = await cli('train', '--backend', 'onnx', '--method', 'supervised', '--width', '4', '--total', '512', '--batch', '64', '--knn-every', '0', '--epochs', '1', '--lr', '1e12');
    expect(diverged.code).toBe(1);
    expect(diverged.stderr).toMatch(/^ltssl: supervised diverged at epoch 1, step \d+: loss \S+, gradient norm \S+(; the last finite loss was \S+| \(no step had finished\)); lower the learning rate or check the data\n$/);
  });

  it("passes SimSiam's --projector-layers to the method, whose schema checks it, and refuses it for another method", async () => {
    const simsiam = await cli('train', ...tiny, '--projector-layers', '0', '--epochs', '1');
    expect([simsiam.code, simsiam.stderr]).toEqual([2, 'ltssl: simsiam: projectorLayers: must be a positive integer, got 0\n']);
    const moco = await cli('train', '--backend', 'onnx', '--method', 'mocov2', '--key-momentum', '1');
    expect([moco.code, moco.stderr]).toEqual([2, 'ltssl: mocov2: keyMomentum: must be in [0, 1) (at 1 the key encoder never moves), got 1\n']);
    const simclr = await cli('train', '--backend', 'onnx', '--method', 'simclr', '--projector-layers', '3');
    expect([simclr.code, simclr.stderr]).toEqual([2, 'ltssl: --projector-layers does not apply to simclr; it takes --projector-hidden-dim, --projector-dim, --temperature, --temperature-schedule\n']);
  });

  // Their step's state outside the weights (SDCLR's masks, re-pruned before each epoch; BYOL's target, moved by a
  // schedule of the global step) must come back from a checkpoint as an uninterrupted run left it.
  const methodRuns: Record<string, string[]> = {
    sdclr: ['--method', 'sdclr', '--prune-fraction', '0.5', '--projector-hidden-dim', '16', '--projector-dim', '8'],
    byol: ['--method', 'byol', '--base-momentum', '0.9', '--projector-hidden-dim', '16', '--projector-dim', '8', '--predictor-hidden-dim', '16'],
    'simclr, scheduled temperature': ['--method', 'simclr', '--temperature-schedule', '0.1,1,2', '--projector-hidden-dim', '16', '--projector-dim', '8'],
  };
  for (const [name, flags] of Object.entries(methodRuns)) it(`resumes ${name} to the state of an uninterrupted run`, async () => {
    const out = join(dir, name.replace(/\W+/g, '-'));
    const run = ['--backend', 'onnx', ...flags, '--width', '4', '--total', '256', '--ratio', '0.1', '--batch', '64', '--knn-every', '0', '--checkpoint-every', '1', '--epochs', '2', '--out', out];
    const first = await cli('train', ...run);
    expect([first.code, first.stderr]).toEqual([0, '']);
    const last = join(out, 'epoch-0002.safetensors');
    const uninterrupted = await loadCheckpoint(last);
    if (name === 'sdclr') {
      const masks = Object.keys(uninterrupted.state).filter((n) => n.startsWith('prune_mask.'));
      expect(masks).toHaveLength(3);
      // Re-pruned: about half of the kernels' weights kept, not the initial all-ones.
      const kept = masks.reduce((n, m) => n + Array.from(uninterrupted.state[m]!.data).reduce((a, v) => a + v, 0), 0) / masks.reduce((n, m) => n + uninterrupted.state[m]!.data.length, 0);
      expect(kept).toBeGreaterThan(0.45);
      expect(kept).toBeLessThanOrEqual(0.5);
    }
    unlinkSync(last);
    const resumed = await cli('train', ...run);
    expect(resumed.stdout).toContain('resuming from the checkpoint after epoch 1');
    expect((await loadCheckpoint(last)).state).toEqual(uninterrupted.state);
  }, 120_000);

  it('refuses a --temperature-schedule that is not MIN,MAX,PERIOD, and bounds in the wrong order', async () => {
    const bad = await cli('train', '--backend', 'onnx', '--method', 'simclr', '--temperature-schedule', '0.1,1');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("expected MIN,MAX,PERIOD (tau_-, tau_+, the period in epochs, e.g. 0.1,1,200), got '0.1,1'");
    const order = await cli('train', '--backend', 'onnx', '--method', 'simclr', '--temperature-schedule', '1,0.1,200');
    expect([order.code, order.stderr]).toEqual([2, 'ltssl: simclr: temperatureSchedule: min must be below max, got {"min":1,"max":0.1,"periodEpochs":200}\n']);
  });

  // Every built-in driver trains, not only passes conformance: the same run on each (WebGPU on whatever
  // adapter is here; llvmpipe in CI) must learn the generated set.
  // A loop, not it.each: vitest's printf titles turned '95%%' into '95% undefined'.
  const needs: Record<string, readonly SystemRequirement[]> = { webgpu: [SOFTWARE_WEBGPU] };
  for (const backend of ['reference', 'onnx', 'tfjs', 'webgpu']) itNeeding(needs[backend] ?? [], `learns the generated separable set on ${backend}: training accuracy above 95%`, async () => {
    const { code, stdout } = await cli('train', '--backend', backend, '--method', 'supervised', '--data', 'separable', '--epochs', '8', '--width', '8', '--batch', '32', '--knn-every', '0');
    expect(code).toBe(0);
    const accuracies = [...stdout.matchAll(/^epoch \d+\/8 .* accuracy ([\d.]+) /gm)].map((m) => Number(m[1]));
    expect(accuracies).toHaveLength(8);
    // The first epoch starts from random weights; the last must have learned the templates.
    expect(accuracies[0]!).toBeLessThan(0.9);
    expect(accuracies[7]!).toBeGreaterThan(0.95);
  }, 120_000);
});

describe('ltssl eval', () => {
  it('probes a checkpoint in and out of domain', async () => {
    const { code, stdout } = await cli('eval', '--backend', 'onnx', '--checkpoint', join(dir, 'run', 'epoch-0002.safetensors'), '--probe', 'knn', '--ood-data', 'mnist');
    expect(code).toBe(0);
    expect(stdout).toMatch(/^encoder: small-cnn width 4, 1 input channel\(s\), from ltssl-checkpoint$/m);
    expect(stdout).toMatch(/^in domain fashion-mnist: top-1 [\d.]+%$/m);
    expect(stdout).toMatch(/^out of domain mnist: top-1 [\d.]+%$/m);
  }, 60_000);

  it('reports a corrupt checkpoint in one line, exit 1', async () => {
    const bad = join(dir, 'bad.safetensors');
    writeFileSync(bad, Buffer.from([1, 2, 3]));
    const { code, stderr } = await cli('eval', '--backend', 'onnx', '--checkpoint', bad);
    expect(code).toBe(1);
    expect(stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(stderr).toContain(bad);
  });
});
