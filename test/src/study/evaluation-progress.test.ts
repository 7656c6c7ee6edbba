import { OnnxDriver } from '@ltssl/driver-onnx';
import { buildFeatureProgram, evaluateEncoder, separableDataset, type ProgressPhase } from '@ltssl/experiments';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const driver = new OnnxDriver();
beforeAll(async () => void (await driver.init()));
afterAll(async () => driver.dispose());

describe("a cell's evaluation reports its phases", () => {
  it('features, linear probe, kNN and fine-tuning, each step counted up to its total, the training ones with their loss', async () => {
    const data = separableDataset();
    const encoder = { arch: 'small-cnn', width: 2, inChannels: 1 } as const;
    const featurizer = await driver.compile(buildFeatureProgram(encoder, 64, 8, 8));
    const seen = new Map<ProgressPhase, { done: number[]; total: number; losses: number }>();
    const progress = {
      onPhaseStep(phase: ProgressPhase, done: number, total: number, loss?: number) {
        const s = seen.get(phase) ?? { done: [], total, losses: 0 };
        s.done.push(done);
        s.total = total;
        if (loss !== undefined && Number.isFinite(loss)) s.losses++;
        seen.set(phase, s);
      },
    };
    const settings = { kind: 'cached', epochs: 2, fewShot: [], oodPerClass: 32, knnK: 5, ood: { kind: 'finetune', epochs: 1 } } as const;
    await evaluateEncoder(driver, featurizer, encoder, data, data, settings, 0, undefined, progress);
    featurizer.dispose();
    expect([...seen.keys()]).toEqual(['features', 'linear probe', 'kNN', 'fine-tuning']);
    // The balanced train split (4 x 128 images) in batches of 64, then the test split: each extraction counts from 1.
    expect(seen.get('features')!.done).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 1, 2, 3, 4]);
    for (const [phase, s] of seen) expect(s.done.at(-1), phase).toBe(s.total);
    expect(seen.get('linear probe')!.losses).toBe(seen.get('linear probe')!.done.length);
    expect(seen.get('fine-tuning')!.losses).toBe(seen.get('fine-tuning')!.done.length);
    expect(seen.get('kNN')!.losses).toBe(0);
  }, 60_000);
});
