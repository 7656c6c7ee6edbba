import { ERROR_CODES, hasErrorCode } from '@ltssl/core';
import { describe, expect, it } from 'vitest';
import type { ImageSet } from '../image-set.js';
import { classCounts } from './class-counts.js';
import { equalSizeCounts, largestEqualSize } from './equal-size-counts.js';
import { headCounts } from './head-counts.js';
import { floorGuarded } from './imbalance-profile.js';
import { sampleBalanced, sampleLongTail } from './sample-long-tail.js';

/** A 1x1-pixel set whose pixel value is the image index mod 256, with `perClass[c]` images of class c, classes interleaved. */
function labelledSet(perClass: readonly number[], classNames?: string[]): ImageSet {
  const labels: number[] = [];
  const left = [...perClass];
  while (left.some((n) => n > 0)) {
    for (let c = 0; c < left.length; c++) if (left[c]! > 0) (labels.push(c), (left[c]! -= 1));
  }
  return {
    name: 'toy/train',
    count: labels.length,
    channels: 1,
    height: 1,
    width: 1,
    pixels: Uint8Array.from(labels, (_, i) => i % 256),
    labels: Int32Array.from(labels),
    classes: perClass.length,
    ...(classNames ? { classNames } : {}),
  };
}

describe('headCounts (docs/paper.md head-size form)', () => {
  it("matches docs/paper.md's CIFAR-10 examples exactly", () => {
    expect(headCounts({ profile: 'exp', ratio: 0.1, head: 5000, classes: 10 })).toEqual([5000, 3871, 2997, 2320, 1796, 1391, 1077, 834, 645, 500]);
    expect(headCounts({ profile: 'exp', ratio: 0.01, head: 5000, classes: 10 })).toEqual([5000, 2997, 1796, 1077, 645, 387, 232, 139, 83, 50]);
    expect(headCounts({ profile: 'exp', ratio: 1, head: 5000, classes: 10 })).toEqual(new Array(10).fill(5000));
  });

  it('gives the step profile: floor(C/2) classes at N, the rest at floor(N r), the odd class in the tail', () => {
    expect(headCounts({ profile: 'step', ratio: 0.01, head: 5000, classes: 10 })).toEqual([5000, 5000, 5000, 5000, 5000, 50, 50, 50, 50, 50]);
    expect(headCounts({ profile: 'step', ratio: 0.1, head: 100, classes: 5 })).toEqual([100, 100, 10, 10, 10]);
  });

  it('floors values that are integers in exact arithmetic to themselves, not one below', () => {
    // 5000 * 0.043 = 215 exactly; in floats it is 214.99999999999997 (0.043 is stored a little low).
    expect(Math.floor(5000 * Math.pow(0.043, 1))).toBe(214);
    expect(headCounts({ profile: 'exp', ratio: 0.043, head: 5000, classes: 3 })[2]).toBe(215);
    expect(headCounts({ profile: 'step', ratio: 0.043, head: 5000, classes: 2 })).toEqual([5000, 215]);
    expect(headCounts({ profile: 'exp', ratio: 0.001, head: 1000, classes: 4 })).toEqual([1000, 100, 10, 1]);
    // The brief's example: 5000 * 0.1^(1/9 * 9) and 0.01^(1/2).
    expect(floorGuarded(5000 * Math.pow(0.1, (1 / 9) * 9))).toBe(500);
    expect(headCounts({ profile: 'exp', ratio: 0.01, head: 5000, classes: 3 })).toEqual([5000, 500, 50]);
    // The guard does not round up what is really below an integer.
    expect(floorGuarded(499.99)).toBe(499);
    expect(floorGuarded(499.9999)).toBe(499);
  });

  it('rejects r outside (0, 1], C < 2, and a bad head size, naming the field', () => {
    expect(() => headCounts({ profile: 'exp', ratio: 0, head: 10, classes: 10 })).toThrow(/imbalance ratio r must be in \(0, 1\].*got 0/);
    expect(() => headCounts({ profile: 'exp', ratio: 1.5, head: 10, classes: 10 })).toThrow(/got 1.5/);
    expect(() => headCounts({ profile: 'exp', ratio: 0.1, head: 10, classes: 1 })).toThrow(/number of classes must be an integer of at least 2, got 1/);
    expect(() => headCounts({ profile: 'exp', ratio: 0.1, head: 0, classes: 10 })).toThrow(/head size N must be a positive integer/);
    expect(() => headCounts({ profile: 'zipf' as 'exp', ratio: 0.1, head: 5, classes: 10 })).toThrow(/profile must be one of exp, step/);
  });
});

describe('classCounts (fixed total n, largest remainder)', () => {
  it('sums to n exactly and follows the priors', () => {
    for (const ratio of [1, 0.5, 0.1, 0.01, 0.004]) {
      for (const total of [0, 1, 7, 999, 12406]) {
        const counts = classCounts({ profile: 'exp', ratio, total, classes: 10 });
        expect(counts.reduce((a, b) => a + b, 0)).toBe(total);
        for (let i = 1; i < 10; i++) expect(counts[i]!).toBeLessThanOrEqual(counts[i - 1]!);
      }
    }
  });

  it('reproduces the head-size counts when n is their sum (r = 0.1 and 0.01 on CIFAR-10)', () => {
    // The head form's floors lose < 1 image per class, so the Hamilton split of their sum lands on them.
    for (const ratio of [0.1, 0.01]) {
      const head = headCounts({ profile: 'exp', ratio, head: 5000, classes: 10 });
      const total = head.reduce((a, b) => a + b, 0);
      const counts = classCounts({ profile: 'exp', ratio, total, classes: 10 });
      for (let i = 0; i < 10; i++) expect(Math.abs(counts[i]! - head[i]!)).toBeLessThanOrEqual(1);
    }
  });

  it('breaks remainder ties toward the lower class index', () => {
    expect(classCounts({ profile: 'exp', ratio: 1, total: 13, classes: 5 })).toEqual([3, 3, 3, 2, 2]);
    expect(classCounts({ profile: 'exp', ratio: 1, total: 4, classes: 10 })).toEqual([1, 1, 1, 1, 0, 0, 0, 0, 0, 0]);
    // Step, r = 0.5, C = 4: priors 1,1,.5,.5, quotas 10/3,10/3,5/3,5/3 for n = 10: floors 3,3,1,1, remainders 1/3,1/3,2/3,2/3.
    expect(classCounts({ profile: 'step', ratio: 0.5, total: 10, classes: 4 })).toEqual([3, 3, 2, 2]);
    // Step, odd C: 2 head classes at 1, 3 tail classes at 0.1, n = 23: quotas 10, 10, 1, 1, 1.
    expect(classCounts({ profile: 'step', ratio: 0.1, total: 23, classes: 5 })).toEqual([10, 10, 1, 1, 1]);
  });

  it('keeps n equal across ratios (the paper compares r at the same n)', () => {
    const rows = equalSizeCounts({ profile: 'exp', classes: 10, total: 12406, ratios: [1, 0.1, 0.01] });
    expect(rows.map((r) => r.ratio)).toEqual([1, 0.1, 0.01]);
    for (const row of rows) expect(row.counts.reduce((a, b) => a + b, 0)).toBe(12406);
    expect(rows[0]!.counts).toEqual([1241, 1241, 1241, 1241, 1241, 1241, 1240, 1240, 1240, 1240]);
  });

  it('names the ratio, the class, its count and what the dataset holds, and the largest n that fits', () => {
    const data = { name: 'cifar-10/train', classNames: ['airplane', 'automobile', 'bird'], available: [100, 100, 100] };
    const spec = { profile: 'exp' as const, classes: 3, ratios: [1, 0.1] };
    // r = 0.1 at n = 200: priors 1, 0.316, 0.1, quotas 141.4, 44.7, 14.1.
    let error: unknown;
    try {
      equalSizeCounts({ ...spec, total: 200 }, data);
    } catch (e) {
      error = e;
    }
    expect(hasErrorCode(error, ERROR_CODES.dataInvalid)).toBe(true);
    const largest = largestEqualSize(spec, data);
    expect((error as Error).message).toBe(
      `at n = 200, r = 0.1: class 0 ('airplane') needs 141 images but 'cifar-10/train' holds 100 of it; the largest n that fits every ratio (1, 0.1) is ${largest}`,
    );
    // Largest: every ratio fits at that n, and r = 0.1 no longer does one image later.
    expect(classCounts({ profile: 'exp', ratio: 0.1, classes: 3, total: largest })[0]).toBeLessThanOrEqual(100);
    expect(classCounts({ profile: 'exp', ratio: 0.1, classes: 3, total: largest + 1 })[0]).toBe(101);
    expect(() => equalSizeCounts({ ...spec, total: largest }, data)).not.toThrow();
  });
});

describe('sampleLongTail', () => {
  const set = labelledSet([50, 40, 30], ['a', 'b', 'c']);

  it('takes exactly the requested count of each class, distinct indices of that class', () => {
    const sample = sampleLongTail(set, [20, 7, 0], 3);
    expect(sample.counts).toEqual([20, 7, 0]);
    expect(sample.indices.length).toBe(27);
    expect(new Set(sample.indices).size).toBe(27);
    const perClass = [0, 0, 0];
    for (const i of sample.indices) perClass[set.labels[i]!]! += 1;
    expect(perClass).toEqual([20, 7, 0]);
    expect([...sample.indices]).toEqual([...sample.indices].sort((a, b) => a - b));
  });

  it('is deterministic for a seed, differs across seeds, and does not depend on call order', () => {
    const a = sampleLongTail(set, [20, 7, 3], 3);
    sampleLongTail(set, [1, 1, 1], 99);
    const b = sampleLongTail(set, [20, 7, 3], 3);
    expect(b.indices).toEqual(a.indices);
    expect(sampleLongTail(set, [20, 7, 3], 4).indices).not.toEqual(a.indices);
  });

  it("chooses a class's images independently of other classes' counts, and nests smaller counts in larger ones", () => {
    const ofClass = (s: { indices: Int32Array }, c: number) => [...s.indices].filter((i) => set.labels[i] === c);
    const big = sampleLongTail(set, [20, 7, 3], 5);
    const other = sampleLongTail(set, [20, 40, 0], 5);
    expect(ofClass(other, 0)).toEqual(ofClass(big, 0));
    const small = sampleLongTail(set, [5, 7, 3], 5);
    for (const i of ofClass(small, 0)) expect(ofClass(big, 0)).toContain(i);
  });

  it('draws uniformly: each image of a class is chosen about count/available of the time', () => {
    const hits = new Float64Array(set.count);
    const seeds = 400;
    for (let seed = 0; seed < seeds; seed++) for (const i of sampleLongTail(set, [10, 0, 0], seed).indices) hits[i]! += 1;
    for (let i = 0; i < set.count; i++) {
      if (set.labels[i] !== 0) continue;
      // p = 0.2, 400 trials: mean 80, std 8; 5 std either side.
      expect(hits[i]!).toBeGreaterThan(40);
      expect(hits[i]!).toBeLessThan(120);
    }
  });

  it('names the class, its count and what the set holds when a count is too large', () => {
    expect(() => sampleLongTail(set, [10, 41, 0], 1)).toThrow("class 1 ('b') needs 41 images but 'toy/train' holds 40 of it; lower the total n or the head size N, or use a larger dataset");
    expect(() => sampleLongTail(labelledSet([3, 3]), [1, 4], 1)).toThrow("class 1 needs 4 images but 'toy/train' holds 3 of it");
    expect(() => sampleLongTail(set, [1, 1], 1)).toThrow("2 class counts given for 'toy/train', which has 3 classes");
  });

  it('gives balanced subsets of k per class, independent of the pre-training draw by default', () => {
    const balanced = sampleBalanced(set, 30, 7);
    expect(balanced.counts).toEqual([30, 30, 30]);
    expect(sampleBalanced(set, 30, 7, { draw: 0 }).indices).toEqual(sampleLongTail(set, [30, 30, 30], 7).indices);
    expect(balanced.indices).not.toEqual(sampleLongTail(set, [30, 30, 30], 7).indices);
    expect(() => sampleBalanced(set, 31, 7)).toThrow(/class 2 \('c'\) needs 31 images but 'toy\/train' holds 30/);
  });
});
