import { spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CounterRng, hashName, hostTensor, RNG_STREAMS, type StateDict } from '@ltssl/core';
import { OnnxDriver } from '@ltssl/driver-onnx';
import { buildFeatureProgram, encodeSafetensors, loadEncoder, saveCheckpoint, type EncoderSpec } from '@ltssl/experiments';
import { describeNeeding, PYTORCH } from '@ltssl/testing';
import { afterAll, beforeAll, expect, it } from 'vitest';

const TOOLS = fileURLToPath(new URL('../../../tools/torch/', import.meta.url));
const PTH = fileURLToPath(new URL('../../../packages/experiments/golden/pth/', import.meta.url));
const spec: EncoderSpec = { arch: 'resnet18', width: 64, inChannels: 3 };

function python(script: string, ...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const run = spawnSync('/usr/bin/python3', [join(TOOLS, script), ...args], { encoding: 'utf8', timeout: 120_000, maxBuffer: 16 << 20 });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

/**
 * The recipe of docs/study.md ("Using an encoder in PyTorch") as a user runs it:
 * tools/torch/load_ltssl_checkpoint.py loads a checkpoint into torchvision's
 * resnet18 with the CIFAR stem and compares its features with ltssl's, and
 * tools/torch/pth_to_safetensors.py brings a .pth back.
 */
describeNeeding(PYTORCH, 'the PyTorch recipes in tools/torch (optional: CI has no PyTorch, and says so in the skip)', () => {
  let dir: string;
  let state: StateDict;
  const checkpoint = (): string => join(dir, 'epoch-0003.safetensors');

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ltssl-torch-recipe-'));
    const driver = new OnnxDriver();
    await driver.init();
    const featurizer = await driver.compile(buildFeatureProgram(spec, 3, 32, 32, 7));
    // The seed's initial weights, with running statistics away from 0 and 1 so eval-mode BatchNorm is not the identity.
    state = await featurizer.readState();
    for (const [name, t] of Object.entries(state)) {
      const rng = new CounterRng(9, RNG_STREAMS.data, hashName(name));
      if (name.endsWith('running_mean')) rng.fillUniform(t.data as Float32Array, -0.2, 0.2);
      if (name.endsWith('running_var')) rng.fillUniform(t.data as Float32Array, 0.5, 2);
    }
    await featurizer.writeState(state);
    await saveCheckpoint(checkpoint(), { state, metadata: { method: 'simclr', epoch: 3, seed: 7, encoder: spec, normalization: { mean: [0.49, 0.48, 0.45], std: [0.25, 0.24, 0.26] }, dataset: 'cifar10', configHash: 'h' } });
    const images = new Float32Array(3 * 3 * 32 * 32);
    new CounterRng(4, RNG_STREAMS.data, 0).fillNormal(images);
    const features = (await featurizer.run({ x: hostTensor('float32', [3, 3, 32, 32], images) })).features!;
    await writeFile(join(dir, 'check.safetensors'), encodeSafetensors({ images: hostTensor('float32', [3, 3, 32, 32], images), features }));
    featurizer.dispose();
    await driver.dispose();
  }, 120_000);

  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("loads the checkpoint strictly into torchvision's resnet18 (CIFAR stem) and its features match ltssl's", () => {
    const run = python('load_ltssl_checkpoint.py', checkpoint(), '--check', join(dir, 'check.safetensors'), '--save', join(dir, 'encoder.pth'));
    expect(run.status, run.stderr).toBe(0);
    const out = JSON.parse(run.stdout) as { loaded: number; normalize: string; features: number[]; max_abs_difference: number; match: boolean };
    expect(out.loaded).toBe(Object.keys(state).length);
    expect(out.normalize).toBe('transforms.Normalize(mean=[0.49, 0.48, 0.45], std=[0.25, 0.24, 0.26])');
    expect(out.features).toEqual([3, 512]);
    expect(out.match).toBe(true);
  }, 120_000);

  it('fails the check when the features differ', async () => {
    const shifted = hostTensor('float32', [3, 512], new Float32Array(3 * 512).fill(1));
    const images = hostTensor('float32', [3, 3, 32, 32], new Float32Array(3 * 3 * 32 * 32));
    await writeFile(join(dir, 'wrong.safetensors'), encodeSafetensors({ images, features: shifted }));
    const run = python('load_ltssl_checkpoint.py', checkpoint(), '--check', join(dir, 'wrong.safetensors'));
    expect(run.status).toBe(1);
    expect((JSON.parse(run.stdout) as { match: boolean }).match).toBe(false);
  }, 120_000);

  it('converts the .pth it saved back to safetensors, which ltssl loads with every value in place', async () => {
    const run = python('pth_to_safetensors.py', join(dir, 'encoder.pth'), join(dir, 'back.safetensors'));
    expect(run.status, run.stderr).toBe(0);
    const loaded = await loadEncoder(join(dir, 'back.safetensors'));
    expect(loaded.spec).toEqual(spec);
    expect(loaded.source).toBe('pytorch-state-dict');
    expect(Object.keys(loaded.state)).toEqual(Object.keys(state));
    const bytes = (t: { data: ArrayBufferView }): Buffer => Buffer.from(t.data.buffer, t.data.byteOffset, t.data.byteLength);
    for (const [name, t] of Object.entries(state)) expect(bytes(loaded.state[name]!).equals(bytes(t)), name).toBe(true);
  }, 120_000);

  it("converts torch.save's zip, legacy and nested checkpoint files", async () => {
    for (const name of ['state-dict-zip.pth', 'state-dict-legacy.pth', 'checkpoint-nested.pth']) {
      const target = join(dir, name.replace('.pth', '.safetensors'));
      const run = python('pth_to_safetensors.py', join(PTH, name), target);
      expect(run.status, `${name}: ${run.stderr}`).toBe(0);
      expect(run.stdout).toBe(`wrote ${target}: 2 tensors from ${join(PTH, name)}\n`);
    }
    const refused = python('pth_to_safetensors.py', join(PTH, 'checkpoint-nested.pth'), join(dir, 'x.safetensors'), '--key', 'model');
    expect(refused.status).not.toBe(0);
    expect(refused.stderr).toContain("not a state_dict of tensors; name the entry that holds it with --key");
  }, 120_000);
});
