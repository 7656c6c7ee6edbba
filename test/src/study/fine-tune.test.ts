import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CounterRng, hostTensor, RNG_STREAMS } from '@ltssl/core';
import { OnnxDriver } from '@ltssl/driver-onnx';
import { buildFeatureProgram, buildFineTuneStep, ENCODER_PREFIX, fineTune, loadDataset, PROBE_PREFIX, sampleBalanced, stateChecksum } from '@ltssl/experiments';
import { writeSyntheticIdxFolder } from './synthetic-idx-folder.js';

const root = mkdtempSync(join(tmpdir(), 'ltssl-finetune-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const encoder = { arch: 'small-cnn', width: 4, inChannels: 1 } as const;

describe('fine-tuning (the OOD protocol of the paper preset)', () => {
  it('trains the backbone at 0.1x the head rate: with a scale of 0 only the head (and BN statistics) move', async () => {
    const driver = new OnnxDriver();
    await driver.init();
    const step = await driver.compile(buildFineTuneStep(encoder, 10, 8, 12, 12, { backboneLrScale: 0, momentum: 0.9, weightDecay: 0 }, 0));
    const before = await step.readState();
    const x = new Float32Array(8 * 144);
    new CounterRng(1, RNG_STREAMS.data, 0).fillNormal(x);
    await step.run({ x: hostTensor('float32', [8, 1, 12, 12], x), labels: hostTensor('int32', [8], [0, 1, 2, 3, 4, 5, 6, 7]), lr: hostTensor('float32', [], [0.5]) }, []);
    const after = await step.readState();
    const moved = (name: string): boolean => after[name]!.data.some((v, i) => v !== before[name]!.data[i]);
    expect(moved(`${ENCODER_PREFIX}conv1.weight`)).toBe(false);
    expect(moved(`${PROBE_PREFIX}weight`)).toBe(true);
    expect(moved(`${ENCODER_PREFIX}bn1.running_mean`)).toBe(true);
    step.dispose();
  });

  it('leaves the source encoder untouched and learns the target task', async () => {
    const data = await loadDataset(writeSyntheticIdxFolder(join(root, 'data'), { perClass: 40, testPerClass: 10, seed: 4 }));
    const driver = new OnnxDriver();
    await driver.init();
    const source = await driver.compile(buildFeatureProgram(encoder, 256, 12, 12));
    const checksum = await stateChecksum(source, ENCODER_PREFIX);
    const accuracy = await fineTune(driver, source, {
      encoder,
      train: { set: data.train, indices: sampleBalanced(data.train, 40, 0, { draw: 0 }).indices },
      test: data.test,
      normalization: data.normalization,
      height: 12,
      width: 12,
      epochs: 8,
      batch: 32,
      seed: 0,
    });
    expect(await stateChecksum(source, ENCODER_PREFIX)).toBe(checksum);
    // Ten classes: chance is 10%; the synthetic classes are easy once the network trains.
    expect(accuracy.top1).toBeGreaterThan(0.5);
    source.dispose();
  }, 60_000);
});
