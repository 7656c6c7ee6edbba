import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OnnxDriver } from '@ltssl/driver-onnx';
import { directoryCheckpointStore, isStopRequested, loadDataset, planTrainRun, pretrain, type EpochMetrics, type PretrainConfig } from '@ltssl/experiments';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = mkdtempSync(join(tmpdir(), 'ltssl-stop-resume-'));
const driver = new OnnxDriver();
beforeAll(async () => void (await driver.init()));
afterAll(async () => {
  await driver.dispose();
  rmSync(root, { recursive: true, force: true });
});

const data = await loadDataset('fashion-mnist');
const plan = planTrainRun(data, { method: 'simsiam', methodOptions: { projectorDim: 16, predictorDim: 8 }, arch: 'small-cnn', width: 4, epochs: 2, batch: 64, seed: 0, profile: 'exp', ratio: 0.1, total: 512, knnEvery: 0, knnK: 20 });
const run = { method: 'simsiam' as const, seed: 0, encoder: plan.encoder, normalization: data.normalization, dataset: data.name, configHash: plan.configHash };
const config = (dir: string, o: Partial<PretrainConfig> = {}): PretrainConfig => ({ ...plan.pretrain, checkpoints: { store: directoryCheckpointStore(dir, run), every: 2 }, ...o });
const withoutTimes = (history: readonly EpochMetrics[]): unknown => history.map(({ seconds: _, ...e }) => e);

describe('a run stopped mid-epoch', () => {
  it('writes a checkpoint of the steps done, and resumes from it to what an uninterrupted run computes', async () => {
    const whole = await pretrain(driver, config(join(root, 'whole')));
    const reference = { state: await whole.executable.readState(), history: whole.history };
    whole.executable.dispose();

    const dir = join(root, 'stopped');
    const controller = new AbortController();
    // The stop comes on an event: the end of the 3rd step of epoch 2.
    const stopped = await pretrain(driver, config(dir, { signal: controller.signal }), { onStep: (epoch, step) => void (epoch === 1 && step === 2 && controller.abort(new Error('SIGTERM'))) }).catch((e: unknown) => e);
    expect(isStopRequested(stopped)).toBe(true);
    expect(stopped).toMatchObject({ epoch: 1, step: 3, checkpoint: { epochs: 1, steps: 3 } });
    expect(readdirSync(dir)).toEqual(['epoch-0001-step-0003.safetensors']);

    const resumed = await pretrain(driver, config(dir));
    expect(resumed.resumedFrom).toBe(1);
    expect(withoutTimes(resumed.history)).toEqual(withoutTimes(reference.history));
    expect(await resumed.executable.readState()).toEqual(reference.state);
    resumed.executable.dispose();
  }, 120_000);
});
