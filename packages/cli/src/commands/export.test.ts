import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ort from 'onnxruntime-node';
import { afterAll, describe, expect, it } from 'vitest';
import { compareTensors, CounterRng, hostTensor, RNG_STREAMS } from '@ltssl/core';
import { OnnxDriver } from '@ltssl/driver-onnx';
import { buildFeatureProgram, loadEncoder } from '@ltssl/experiments';
import { cli } from '../test-io.js';

const dir = mkdtempSync(join(tmpdir(), 'ltssl-export-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('ltssl export', () => {
  it("writes a trained encoder as an ONNX model whose features match the driver's", async () => {
    const run = join(dir, 'run');
    const train = await cli('train', '--backend', 'onnx', '--method', 'supervised', '--width', '4', '--total', '256', '--batch', '64', '--epochs', '1', '--knn-every', '0', '--out', run);
    expect(train.code, train.stderr).toBe(0);
    const checkpoint = join(run, 'epoch-0001.safetensors');
    const model = join(dir, 'encoder.onnx');
    const exported = await cli('export', '--checkpoint', checkpoint, '--format', 'onnx', '--out', model, '--batch', '4', '--height', '28', '--width', '28');
    expect(exported.code, exported.stderr).toBe(0);
    expect(exported.stdout).toMatch(/^wrote .*encoder\.onnx \(\d+ KiB\): small-cnn width 4; input 'input:x' float32 \[4, 1, 28, 28\]/);

    const x = new Float32Array(4 * 28 * 28);
    new CounterRng(3, RNG_STREAMS.data, 0).fillNormal(x);
    // A fresh ONNX Runtime session on the exported file alone.
    const session = await ort.InferenceSession.create(model);
    const out = (await session.run({ 'input:x': new ort.Tensor('float32', x, [4, 1, 28, 28]) }))['output:features']!;
    await session.release();
    // The driver's own features from the same checkpoint.
    const encoder = await loadEncoder(checkpoint);
    const driver = new OnnxDriver();
    await driver.init();
    const features = await driver.compile(buildFeatureProgram(encoder.spec, 4, 28, 28));
    await features.writeState(encoder.state);
    const expected = (await features.run({ x: hostTensor('float32', [4, 1, 28, 28], x) })).features!;
    features.dispose();
    expect(compareTensors({ dtype: 'float32', shape: out.dims, data: out.data as Float32Array }, expected, { rtol: 1e-5, atol: 1e-6 })).toBeUndefined();
  }, 60_000);

  it('refuses a bad size and a checkpoint that is not there', async () => {
    expect((await cli('export', '--checkpoint', 'x', '--out', 'y', '--batch', '0')).stderr).toBe('ltssl: --batch must be a positive integer, got 0\n');
    const missing = await cli('export', '--checkpoint', join(dir, 'none.safetensors'), '--out', join(dir, 'none.onnx'));
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('none.safetensors');
  });
});
