import { describe, expect, it } from 'vitest';
import type { ImageSet } from '../../data/image-set.js';
import { SEMI_SYNTHETIC_HALF } from '../../data/semi-synthetic/semi-synthetic.js';
import { parseSemiSyntheticConfig } from './semi-synthetic-config.js';
import { buildSemiSyntheticData, firstOfEachClass, relabeledSubset } from './semi-synthetic-data.js';

/** 10 classes x `perClass` images of 1 x 4 x 4; image i is constant at i (mod 256). */
function source(name: string, perClass: number): ImageSet {
  const count = 10 * perClass;
  const pixels = new Uint8Array(count * 16);
  for (let i = 0; i < count; i++) pixels.fill(i % 256, i * 16, (i + 1) * 16);
  return { name, count, channels: 1, height: 4, width: 4, pixels, labels: Int32Array.from({ length: count }, (_, i) => i % 10), classes: 10, classNames: Array.from({ length: 10 }, (_, c) => `c${c}`) };
}

describe('buildSemiSyntheticData', () => {
  const config = parseSemiSyntheticConfig({ frequentCount: 8, rareCount: 2, pretrain: { batch: 4 }, probe: { perClass: 6, testPerClass: 5, frequentPerClass: 3, fewShot: [2] }, gradCam: { perClass: 2 } });
  const data = buildSemiSyntheticData(config, { train: source('train', 12), test: source('test', 5) }, 0);

  it('builds the pre-training, probe and test composites of a seed with their sizes and label halves', () => {
    expect([data.pretrain.set.count, data.rareProbe.set.count, data.frequentProbe.set.count, data.test.set.count]).toEqual([50, 30, 15, 50]);
    expect([data.pretrain.set.height, data.pretrain.set.width]).toEqual([4, 16]); // width 4 rounded up to 16
    expect(data.pretrain.set.classNames).toEqual(['frequent c1', 'frequent c5', 'frequent c7', 'frequent c8', 'frequent c9', 'rare c0', 'rare c2', 'rare c3', 'rare c4', 'rare c6']);
    expect([...data.rareProbe.labelHalf].every((h) => h === SEMI_SYNTHETIC_HALF.right)).toBe(true);
    expect([...data.frequentProbe.labelHalf].every((h) => h === SEMI_SYNTHETIC_HALF.left)).toBe(true);
    expect(new Set(data.rareProbe.set.labels)).toEqual(new Set([5, 6, 7, 8, 9]));
    // The test composites come from the test split: every source image index is one of its 50.
    expect(Math.max(...data.test.rightSource)).toBeLessThan(50);
  });

  it('draws each set independently, and the same sets again for the same seed', () => {
    const again = buildSemiSyntheticData(config, { train: source('train', 12), test: source('test', 5) }, 0);
    expect(again.pretrain.set.pixels).toEqual(data.pretrain.set.pixels);
    const other = buildSemiSyntheticData(config, { train: source('train', 12), test: source('test', 5) }, 1);
    expect([...other.pretrain.leftSource]).not.toEqual([...data.pretrain.leftSource]);
    // The rare probe draws its own rare images, not the pre-training ones in the same order.
    expect([...data.rareProbe.rightSource.subarray(0, 2)]).not.toEqual([...data.pretrain.rightSource.subarray(40, 42)]);
  });

  it('names the class when a split holds too few images', () => {
    expect(() => buildSemiSyntheticData(parseSemiSyntheticConfig({ ...config, probe: { ...config.probe, perClass: 13 } }), { train: source('train', 12), test: source('test', 5) }, 0)).toThrow(
      "semi-synthetic set from 'train': class 0 ('c0') needs 13 images but 'train' holds 12 of it; lower the counts of the semi-synthetic set",
    );
  });
});

describe('firstOfEachClass and relabeledSubset', () => {
  const set: ImageSet = { ...source('s', 3), labels: Int32Array.from([0, 1, 2, 0, 1, 2, 0, 1, 2, 5, 5, 5, 6, 6, 6, 7, 7, 7, 8, 8, 8, 9, 9, 9, 3, 3, 3, 4, 4, 4]) };

  it('takes the first composites of each class in set order, class by class', () => {
    expect([...firstOfEachClass(set, [2, 0], 2)]).toEqual([2, 5, 0, 3]);
    expect(() => firstOfEachClass(set, [1], 4)).toThrow("'s' holds 3 composites of class 1, fewer than the 4 asked for");
  });

  it('copies the chosen composites with labels shifted to 0 .. K-1', () => {
    const sub = relabeledSubset(set, [9, 12, 13], 5, 2, 'rare only');
    expect([sub.count, sub.classes, [...sub.labels]]).toEqual([3, 2, [0, 1, 1]]);
    expect([sub.pixels[0], sub.pixels[16], sub.pixels[32]]).toEqual([9, 12, 13]);
    expect(sub.classNames).toEqual(['c5', 'c6']);
    expect(() => relabeledSubset(set, [0], 5, 2, 'x')).toThrow('composite 0 of \'s\' has label 0, outside the 2 classes from 5');
  });
});
