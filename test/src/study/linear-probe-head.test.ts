import { ReferenceDriver } from '@ltssl/driver-reference';
import { trainLinearProbe, type FeatureMatrix } from '@ltssl/experiments';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const reference = new ReferenceDriver();
beforeAll(async () => void (await reference.init()));
afterAll(async () => reference.dispose());

/** Three classes in 4 dimensions, far from standardised (offsets and scales differ per dimension), so the folding matters. */
function features(count: number, salt: number): FeatureMatrix {
  const dim = 4;
  const values = new Float32Array(count * dim);
  const labels = new Int32Array(count);
  for (let i = 0; i < count; i++) {
    const y = i % 3;
    labels[i] = y;
    for (let d = 0; d < dim; d++) {
      const noise = Math.sin(12.9898 * (i + 1) * (d + 1) + salt);
      values[i * dim + d] = [10, -3, 0.5, 40][d]! + [2, 0.1, 5, 30][d]! * ((d === y ? 1 : 0) + 0.8 * noise);
    }
  }
  return { values, count, dim, labels };
}

describe('trainLinearProbe', () => {
  it("returns the probe's head on raw features: its argmax reproduces the probe's test accuracy", async () => {
    const train = features(60, 1);
    const test = features(45, 2);
    const { accuracy, head } = await trainLinearProbe(reference, train, test, { classes: 3, epochs: 20, batch: 20, seed: 0 });
    expect([head.classes, head.dim, head.weight.length, head.bias.length]).toEqual([3, 4, 12, 3]);
    let hits = 0;
    for (let i = 0; i < test.count; i++) {
      const logits = [0, 1, 2].map((c) => head.bias[c]! + [0, 1, 2, 3].reduce((s, d) => s + head.weight[c * 4 + d]! * test.values[i * 4 + d]!, 0));
      if (logits.indexOf(Math.max(...logits)) === test.labels[i]) hits++;
    }
    expect(accuracy.top1).toBeGreaterThan(0.5); // the probe learned something, so the check below is not about chance
    expect(hits / test.count).toBeCloseTo(accuracy.top1, 10);
  });
});
