import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ort from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compareTensors, hostTensor } from '@ltssl/core';
import { ReferenceDriver } from '@ltssl/driver-reference';
import { buildFeatureProgram, encodeSafetensors, extractFeatures, imageSize, loadDataset, loadEncoder, type LoadedDataset } from '@ltssl/experiments';
import { writeFile } from 'node:fs/promises';
import { cli } from '../test-io.js';

const dir = mkdtempSync(join(tmpdir(), 'ltssl-export-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const checkpoint = join(dir, 'run', 'epoch-0001.safetensors');
let data: LoadedDataset;
beforeAll(async () => {
  const train = await cli('train', '--backend', 'onnx', '--method', 'supervised', '--width', '4', '--total', '256', '--batch', '64', '--epochs', '1', '--knn-every', '0', '--out', join(dir, 'run'));
  expect(train.code, train.stderr).toBe(0);
  data = await loadDataset('fashion-mnist');
}, 120_000);

/** Test images first..first+count on the [0, 1] scale, [count, 1, 28, 28]: what a PyTorch user's ToTensor gives. */
function unitScale(first: number, count: number): Float32Array {
  const size = imageSize(data.test);
  return Float32Array.from(data.test.pixels.subarray(first * size, (first + count) * size), (v) => v / 255);
}

/** `ltssl eval`'s features of those images: its feature program and extractFeatures, on the reference driver. */
async function evalFeatures(count: number): Promise<Float32Array> {
  const encoder = await loadEncoder(checkpoint);
  const driver = new ReferenceDriver();
  await driver.init();
  const featurizer = await driver.compile(buildFeatureProgram(encoder.spec, 8, 28, 28));
  await featurizer.writeState(encoder.state);
  const features = await extractFeatures(featurizer, data.test, data.normalization, Int32Array.from({ length: count }, (_, i) => i));
  featurizer.dispose();
  await driver.dispose();
  return features.values;
}

async function run(model: string, images: Float32Array, batch: number): Promise<ort.Tensor> {
  const session = await ort.InferenceSession.create(model);
  try {
    expect(session.inputNames).toEqual(['images']);
    expect(session.outputNames).toEqual(['features']);
    return (await session.run({ images: new ort.Tensor('float32', images, [batch, 1, 28, 28]) })).features!;
  } finally {
    await session.release();
  }
}

const close = (got: ort.Tensor, expected: Float32Array, shape: number[]): string | undefined =>
  compareTensors({ dtype: 'float32', shape: got.dims, data: got.data as Float32Array }, hostTensor('float32', shape, expected), { rtol: 1e-4, atol: 1e-5 });

describe('ltssl export', () => {
  it("writes an encoder whose features at batch 1 and 7 are ltssl eval's on the reference driver, normalising inside the model", async () => {
    const model = join(dir, 'encoder.onnx');
    const exported = await cli('export', '--checkpoint', checkpoint, '--format', 'onnx', '--out', model, '--height', '28', '--width', '28');
    expect(exported.code, exported.stderr).toBe(0);
    expect(exported.stdout).toMatch(
      /^wrote .*encoder\.onnx \(\d+ KiB\): small-cnn width 4, eval mode; input 'images' float32 \[batch, 1, 28, 28\] on the \[0, 1\] scale, normalised inside the model with the checkpoint's mean \[0\.\d+\] and std \[0\.\d+\]; output 'features' float32 \[batch, 16\]; any batch size\n$/,
    );
    const expected = await evalFeatures(7);
    const seven = await run(model, unitScale(0, 7), 7);
    expect(close(seven, expected, [7, 16])).toBeUndefined();
    for (const i of [0, 6]) {
      const one = await run(model, unitScale(i, 1), 1);
      expect(close(one, expected.subarray(i * 16, (i + 1) * 16), [1, 16]), `image ${i} at batch 1`).toBeUndefined();
    }
  }, 60_000);

  it('--no-normalize leaves the normalisation to the caller', async () => {
    const model = join(dir, 'raw.onnx');
    const exported = await cli('export', '--checkpoint', checkpoint, '--out', model, '--height', '28', '--width', '28', '--no-normalize');
    expect(exported.code, exported.stderr).toBe(0);
    expect(exported.stdout).toContain("input 'images' float32 [batch, 1, 28, 28] already normalised (--no-normalize)");
    const { mean, std } = data.normalization;
    const normalised = unitScale(0, 3).map((v) => (v - mean[0]!) / std[0]!);
    expect(close(await run(model, normalised, 3), (await evalFeatures(3)), [3, 16])).toBeUndefined();
  }, 60_000);

  it('asks where the normalisation comes from for a PyTorch state_dict, and takes it from --data', async () => {
    const encoder = await loadEncoder(checkpoint);
    const stateDict = join(dir, 'state-dict.safetensors');
    // The encoder's tensors under torchvision's names, without ltssl's metadata: what a PyTorch user saves.
    await writeFile(stateDict, encodeSafetensors(Object.fromEntries(Object.entries(encoder.state).map(([name, t]) => [name.slice('encoder.'.length), t]))));
    const refused = await cli('export', '--checkpoint', stateDict, '--out', join(dir, 'sd.onnx'));
    expect(refused.code).toBe(2);
    expect(refused.stderr).toBe(`ltssl: ${stateDict} is a PyTorch state_dict, which records no input normalisation: give --data NAME (that dataset's mean and std go into the model) or --no-normalize (the model then takes normalised images)\n`);
    const model = join(dir, 'sd.onnx');
    const exported = await cli('export', '--checkpoint', stateDict, '--out', model, '--height', '28', '--width', '28', '--data', 'fashion-mnist');
    expect(exported.code, exported.stderr).toBe(0);
    expect(exported.stdout).toContain("normalised inside the model with fashion-mnist's mean");
    expect(close(await run(model, unitScale(0, 2), 2), (await evalFeatures(2)), [2, 16])).toBeUndefined();
  }, 60_000);

  it('refuses a bad size, --batch (the batch is symbolic), and a checkpoint that is not there', async () => {
    expect((await cli('export', '--checkpoint', 'x', '--out', 'y', '--height', '0')).stderr).toBe('ltssl: --height must be a positive integer, got 0\n');
    const batch = await cli('export', '--checkpoint', 'x', '--out', 'y', '--batch', '4');
    expect(batch.code).toBe(2);
    expect(batch.stderr).toMatch(/^ltssl: unknown option '--batch'/);
    const missing = await cli('export', '--checkpoint', join(dir, 'none.safetensors'), '--out', join(dir, 'none.onnx'));
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('none.safetensors');
  });
});
