import { describe, expect, it } from 'vitest';
import { epochOrder, evalBatches, trainBatches } from './batches.js';

describe('trainBatches', () => {
  const items = Int32Array.from({ length: 103 }, (_, i) => 1000 + 3 * i);

  it('shuffles the items into full batches and drops the remainder', () => {
    const batches = trainBatches(items, 10, { seed: 4, epoch: 0 });
    expect(batches).toHaveLength(10);
    const seen = batches.flatMap((b) => [...b.indices]);
    expect(new Set(seen).size).toBe(100);
    for (const i of seen) expect(items).toContain(i);
    for (const b of batches) {
      expect(b.indices.length).toBe(10);
      expect(b.real).toBe(10);
      expect([...b.mask]).toEqual(new Array(10).fill(1));
    }
    expect(seen).not.toEqual([...items.subarray(0, 100)]);
  });

  it('is deterministic per (seed, epoch), differs across epochs, and needs no earlier epoch', () => {
    const epoch3 = trainBatches(items, 8, { seed: 4, epoch: 3 });
    trainBatches(items, 8, { seed: 4, epoch: 0 });
    expect(trainBatches(items, 8, { seed: 4, epoch: 3 })).toEqual(epoch3);
    expect(trainBatches(items, 8, { seed: 4, epoch: 4 })[0]!.indices).not.toEqual(epoch3[0]!.indices);
    expect(trainBatches(items, 8, { seed: 5, epoch: 3 })[0]!.indices).not.toEqual(epoch3[0]!.indices);
    // The batch size only cuts the epoch's order, never changes it.
    expect(trainBatches(items, 4, { seed: 4, epoch: 3 }).flatMap((b) => [...b.indices]).slice(0, 96)).toEqual(epoch3.flatMap((b) => [...b.indices]).slice(0, 96));
  });

  it('puts every item first about equally often over epochs (a uniform shuffle)', () => {
    const first = new Array<number>(5).fill(0);
    for (let epoch = 0; epoch < 2000; epoch++) first[epochOrder(5, { seed: 1, epoch })[0]!]! += 1;
    // Binomial(2000, 0.2): std 18.
    for (const n of first) expect(Math.abs(n - 400)).toBeLessThan(90);
  });

  it('refuses a set smaller than one batch and a bad batch size', () => {
    expect(() => trainBatches(5, 8, { seed: 1, epoch: 0 })).toThrow('5 training items make no full batch of 8; lower the batch size');
    expect(() => trainBatches(5, 0, { seed: 1, epoch: 0 })).toThrow('batch size must be a positive integer, got 0');
  });
});

describe('evalBatches', () => {
  it('covers every item once in order, padding the last batch with a mask and a real-row count', () => {
    const batches = evalBatches([7, 8, 9, 10, 11], 2);
    expect(batches.map((b) => [...b.indices])).toEqual([[7, 8], [9, 10], [11, 11]]);
    expect(batches.map((b) => b.real)).toEqual([2, 2, 1]);
    expect([...batches[2]!.mask]).toEqual([1, 0]);
    expect([...batches[0]!.mask]).toEqual([1, 1]);
    // Scoring with the mask counts each item exactly once.
    const scored = batches.flatMap((b) => [...b.indices].filter((_, k) => b.mask[k] === 1));
    expect(scored).toEqual([7, 8, 9, 10, 11]);
  });

  it('pads nothing when the batch size divides the count, and takes a count for 0 .. n - 1', () => {
    const batches = evalBatches(6, 3);
    expect(batches.map((b) => [...b.indices])).toEqual([[0, 1, 2], [3, 4, 5]]);
    expect(batches.every((b) => b.real === 3)).toBe(true);
    expect(evalBatches(0, 3)).toEqual([]);
  });
});
