import { describe, expect, it } from 'vitest';
import { loadDataset } from '../data/datasets.js';
import { classCounts } from '../data/long-tail/class-counts.js';
import { checkImbalanceSizes } from './imbalance/imbalance-sizes.js';
import { parseImbalanceConfig } from './imbalance/imbalance-config.js';
import { IMBALANCE_PRESETS } from './presets.js';
import { checkRwsamSizes } from './rwsam/rwsam-sizes.js';
import { parseRwsamConfig } from './rwsam/rwsam-config.js';
import { checkSemiSyntheticSizes } from './semi-synthetic/semi-synthetic-sizes.js';
import { parseSemiSyntheticConfig, SEMI_SYNTHETIC_PRESETS } from './semi-synthetic/semi-synthetic-config.js';
import { formatSizeProblems, histogramsOf, largestSubsetSize, type SplitHistograms } from './size-check.js';

const fashion = histogramsOf(await loadDataset('fashion-mnist'));
const mnist = histogramsOf(await loadDataset('mnist'));
const quick = IMBALANCE_PRESETS.quick;
const imbalance = (fields: Record<string, unknown>) => parseImbalanceConfig({ ...quick, ...fields });

/** A split of `perClass[c]` images of class c. */
const split = (name: string, perClass: readonly number[]) => ({ name, available: perClass });
const tiny = (train: readonly number[], test: readonly number[]): SplitHistograms => ({ train: split('tiny/train', train), test: split('tiny/test', test) });

describe('the imbalance size check', () => {
  it('passes the quick preset on the embedded Fashion-MNIST and MNIST, and says what it checked', () => {
    const check = checkImbalanceSizes(quick, fashion, mnist);
    expect(check.problems).toEqual([]);
    expect(check.checked.join('; ')).toMatch(/^n = 525, 1050, 2100 fits fashion-mnist\/train with the exp profile at r = 1 and 0\.004 \(at most n = 2177\); probe set 1000 a class of fashion-mnist\/train, few-shot k = 10, kNN k = 20 of 10000, 10000 test images; out of domain 500 a class of mnist\/train \(its smallest class holds 5421\), 10000 test images$/);
  });

  it('refuses n = 1,000,000, naming the field, the class, what the split holds and the largest n that fits', () => {
    const check = checkImbalanceSizes(imbalance({ sizes: [2100, 1_000_000] }), fashion, mnist);
    expect(formatSizeProblems(check.problems)).toBe(
      "sizes[1] = 1000000: the balanced set needs 100000 images of class 0 ('T-shirt/top'), but fashion-mnist/train holds 1000 (at most n = 2177 fits the exp profile at r = 1 and 0.004)",
    );
  });

  it('names the ratio that does not fit when the balanced set does', () => {
    const [problem] = checkImbalanceSizes(imbalance({ sizes: [3000] }), fashion, mnist).problems;
    const counts = classCounts({ profile: 'exp', ratio: 0.004, classes: 10, total: 3000 });
    expect(problem).toEqual({ field: 'sizes[0] = 3000', need: `at r = 0.004 the exp profile needs ${counts[0]} images of class 0 ('T-shirt/top')`, holds: 'fashion-mnist/train holds 1000', fix: 'at most n = 2177 fits the exp profile at r = 1 and 0.004' });
  });

  it('gives the true largest n: it fits every r class by class, and n + 1 does not', () => {
    for (const [profile, ratios] of [['exp', [1, 0.004]], ['exp', [1, 0.1, 0.01]], ['step', [1, 0.01]]] as const) {
      const largest = largestSubsetSize([{ profile, ratios }], fashion.train);
      const fits = (n: number) => ratios.every((ratio) => classCounts({ profile, ratio, classes: 10, total: n }).every((k) => k <= 1000));
      expect(fits(largest), `${profile} ${ratios}`).toBe(true);
      expect(fits(largest + 1), `${profile} ${ratios}`).toBe(false);
    }
  });

  it('refuses a few-shot k, a kNN k and an OOD per-class count larger than the data holds', () => {
    const check = checkImbalanceSizes(imbalance({ probe: { ...quick.probe, fewShot: [10, 1001], oodPerClass: 6000 }, knn: { k: 10_001 } }), fashion, mnist);
    expect(check.problems.map((p) => `${p.field}: ${p.need}, but ${p.holds}`)).toEqual([
      "probe.fewShot[1] = 1001: 1001 images of each class for the few-shot probe, but fashion-mnist/train holds 1000 of class 0 ('T-shirt/top')",
      'knn.k = 10001: 10001 neighbours from the kNN bank (the balanced probe set), but the bank holds 10000 images (1000 of each class of fashion-mnist/train)',
      "probe.oodPerClass = 6000: 6000 images of each class for the out-of-domain probe, but mnist/train holds 5421 of class 5 ('5')",
    ]);
  });

  it('refuses a train split missing a class and an empty test split', () => {
    const problems = checkImbalanceSizes(imbalance({ data: 'tiny', sizes: [40], ratios: [1], pretrain: { ...quick.pretrain, batch: 8 }, probe: { ...quick.probe, fewShot: [] }, knn: { k: 1 } }), tiny([30, 30, 0], [0, 0, 0])).problems;
    expect(problems.map((p) => p.field)).toEqual(['sizes[0] = 40', 'data = tiny', 'data = tiny']);
    expect(formatSizeProblems(problems.slice(1))).toBe('data = tiny: the balanced linear probe needs images of every class, but tiny/train holds none of class 2; data = tiny: the in-domain probe needs a test split, but tiny/test is empty');
  });

  it('checks nothing out of domain without an OOD set', () => {
    expect(checkImbalanceSizes(imbalance({ oodData: null, probe: { ...quick.probe, oodPerClass: 1e6 } }), fashion).problems).toEqual([]);
  });
});

describe('the rwsam size check', () => {
  it('checks n against every profile at the ratio and the balanced set', () => {
    expect(checkRwsamSizes(parseRwsamConfig({}), fashion).problems).toEqual([]);
    const [problem, ...rest] = checkRwsamSizes(parseRwsamConfig({ size: 6000 }), fashion).problems;
    expect(rest).toEqual([]);
    const step = classCounts({ profile: 'step', ratio: 0.01, classes: 10, total: 6000 });
    expect(problem).toEqual({
      field: 'size = 6000',
      need: `at r = 0.01 the step profile needs ${step[0]} images of class 0 ('T-shirt/top')`,
      holds: 'fashion-mnist/train holds 1000',
      fix: `at most n = ${largestSubsetSize([{ profile: 'step', ratios: [0.01] }, { profile: 'exp', ratios: [0.01] }, { profile: 'exp', ratios: [1] }], fashion.train)} fits the step profile at r = 0.01, the exp profile at r = 0.01, the balanced set`,
    });
    const balancedOnly = checkRwsamSizes(parseRwsamConfig({ size: 10_001, variants: ['simsiam-balanced'] }), fashion).problems;
    expect(balancedOnly.map((p) => p.need)).toEqual(["the balanced set needs 1001 images of class 0 ('T-shirt/top')"]);
  });
});

describe('the semi-synthetic size check', () => {
  it('passes the defaults and the quick preset on the embedded set', () => {
    expect(checkSemiSyntheticSizes(parseSemiSyntheticConfig({}), fashion).problems).toEqual([]);
    expect(checkSemiSyntheticSizes(parseSemiSyntheticConfig(SEMI_SYNTHETIC_PRESETS.quick), fashion).problems).toEqual([]);
  });

  it('refuses counts a source class cannot give, in either split, and a class the source lacks', () => {
    const paperSizes = parseSemiSyntheticConfig({ ...SEMI_SYNTHETIC_PRESETS.paper, data: 'fashion-mnist' });
    expect(checkSemiSyntheticSizes(paperSizes, fashion).problems.map((p) => p.field)).toEqual(['frequentCount = 5000', 'probe.perClass = 5000']);
    const test = checkSemiSyntheticSizes(parseSemiSyntheticConfig({ probe: { testPerClass: 1001 }, gradCam: { perClass: 8 } }), fashion).problems;
    expect(formatSizeProblems(test)).toBe("probe.testPerClass = 1001: 1001 images of each source class for the test composites, but fashion-mnist/test holds 1000 of class 1 ('Trouser') (at most 1000)");
    const outside = checkSemiSyntheticSizes(parseSemiSyntheticConfig({ rareSources: [0, 2, 3, 4, 12] }), fashion).problems;
    expect(formatSizeProblems(outside)).toBe('rareSources[4] = 12: a class of the source dataset, but fashion-mnist/train has classes 0 .. 9');
  });
});

describe('sizes the configuration bounds by itself', () => {
  it('refuses a batch larger than the smallest pre-training set (no full batch to train on)', () => {
    expect(() => imbalance({ sizes: [2100, 100] })).toThrow(/pretrain\.batch: must be at most the smallest n of sizes/);
    expect(() => parseRwsamConfig({ size: 100 })).toThrow(/pretrain\.batch: must be at most size/);
    expect(imbalance({ sizes: [128] }).sizes).toEqual([128]);
  });
});
