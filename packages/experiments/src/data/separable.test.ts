import { describe, expect, it } from 'vitest';
import { loadDataset } from './datasets.js';
import { SEPARABLE } from './separable.js';

describe("the generated 'separable' dataset", () => {
  it('has balanced classes of the declared shape, the same bytes on every load', async () => {
    const a = await loadDataset('separable');
    const b = await loadDataset('separable');
    expect(a.train.count).toBe(SEPARABLE.classes * SEPARABLE.trainPerClass);
    expect(a.test.count).toBe(SEPARABLE.classes * SEPARABLE.testPerClass);
    expect([a.train.channels, a.train.height, a.train.width]).toEqual([1, SEPARABLE.side, SEPARABLE.side]);
    const perClass = new Array(SEPARABLE.classes).fill(0);
    for (const y of a.train.labels) perClass[y]++;
    expect(perClass).toEqual(new Array(SEPARABLE.classes).fill(SEPARABLE.trainPerClass));
    expect(Buffer.from(a.train.pixels).equals(Buffer.from(b.train.pixels))).toBe(true);
    expect(Buffer.from(a.test.pixels).equals(Buffer.from(a.train.pixels.subarray(0, a.test.pixels.length)))).toBe(false);
  });

  it('is separable: nearest class mean on the train split classifies the test split', async () => {
    const { train, test } = await loadDataset('separable');
    const pixels = SEPARABLE.side * SEPARABLE.side;
    const means = new Float64Array(SEPARABLE.classes * pixels);
    for (let i = 0; i < train.count; i++) for (let p = 0; p < pixels; p++) means[train.labels[i]! * pixels + p]! += train.pixels[i * pixels + p]! / SEPARABLE.trainPerClass;
    let correct = 0;
    for (let i = 0; i < test.count; i++) {
      let best = -1;
      let bestDistance = Infinity;
      for (let c = 0; c < SEPARABLE.classes; c++) {
        let d = 0;
        for (let p = 0; p < pixels; p++) d += (test.pixels[i * pixels + p]! - means[c * pixels + p]!) ** 2;
        if (d < bestDistance) [best, bestDistance] = [c, d];
      }
      if (best === test.labels[i]) correct++;
    }
    expect(correct / test.count).toBeGreaterThan(0.99);
  });
});
