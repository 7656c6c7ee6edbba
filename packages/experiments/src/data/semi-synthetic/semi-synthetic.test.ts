import { ERROR_CODES, hasErrorCode } from '@ltssl/core';
import { describe, expect, it } from 'vitest';
import type { ImageSet } from '../image-set.js';
import { buildSemiSynthetic, SEMI_SYNTHETIC_HALF } from './semi-synthetic.js';

/**
 * 4 classes x 6 images, 2 channels, 3 x 4 pixels. Image i is constant at
 * 10 + i in channel 0 and 100 + i in channel 1, except image 0, whose rows are
 * the ramp [0, 2, 10, 20] (to check the resize to half width).
 */
function sourceSet(): ImageSet {
  const count = 24;
  const pixels = new Uint8Array(count * 2 * 3 * 4);
  for (let i = 0; i < count; i++) {
    for (let c = 0; c < 2; c++) for (let p = 0; p < 12; p++) pixels[i * 24 + c * 12 + p] = i === 0 ? [0, 2, 10, 20][p % 4]! : (c === 0 ? 10 : 100) + i;
  }
  return { name: 'src', count, channels: 2, height: 3, width: 4, pixels, labels: Int32Array.from({ length: count }, (_, i) => i % 4), classes: 4, classNames: ['a', 'b', 'c', 'd'] };
}

/** Pixel (channel, row, column) of composite k. */
const at = (set: ImageSet, k: number, c: number, y: number, x: number): number => set.pixels[((k * set.channels + c) * set.height + y) * set.width + x]!;

describe('buildSemiSynthetic', () => {
  const source = sourceSet();
  const spec = { frequentSources: [0, 2], rareSources: [1, 3], frequentCount: 4, rareCount: 2, seed: 5 };

  it('lays out [labelled image | rare-class image] for frequent classes and [blank | rare image] for rare ones', () => {
    const built = buildSemiSynthetic(source, spec);
    const { set } = built;
    expect([set.count, set.channels, set.height, set.width, set.classes]).toEqual([12, 2, 3, 4, 4]);
    expect(set.classNames).toEqual(['frequent a', 'frequent c', 'rare b', 'rare d']);
    expect([...set.labels]).toEqual([0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 3, 3]);
    expect(built.frequentClasses).toEqual([0, 1]);
    expect(built.rareClasses).toEqual([2, 3]);
    for (let k = 0; k < set.count; k++) {
      const label = set.labels[k]!;
      const left = built.leftSource[k]!;
      const right = built.rightSource[k]!;
      if (label < 2) {
        expect(built.labelHalf[k]).toBe(SEMI_SYNTHETIC_HALF.left);
        expect(source.labels[left]).toBe(spec.frequentSources[label]);
        expect(spec.rareSources).toContain(source.labels[right]);
      } else {
        expect(built.labelHalf[k]).toBe(SEMI_SYNTHETIC_HALF.right);
        expect(left).toBe(-1);
        expect(source.labels[right]).toBe(spec.rareSources[label - 2]);
      }
      for (let c = 0; c < 2; c++) {
        for (let y = 0; y < 3; y++) {
          for (let x = 0; x < 2; x++) {
            // Constant images stay constant after the resize to half width; image 0 is checked below.
            if (left !== 0) expect(at(set, k, c, y, x)).toBe(left < 0 ? 0 : (c === 0 ? 10 : 100) + left);
            expect(at(set, k, c, y, 2 + x)).toBe((c === 0 ? 10 : 100) + right);
          }
        }
      }
    }
  });

  it('resizes each whole source image to the half width (area mean of column pairs)', () => {
    // Frequent class 0 at 6 images takes every image of source class 0, image 0 included.
    const built = buildSemiSynthetic(source, { ...spec, frequentCount: 6 });
    const k = [...built.leftSource].indexOf(0);
    expect(k).toBeGreaterThanOrEqual(0);
    for (let y = 0; y < 3; y++) expect([at(built.set, k, 0, y, 0), at(built.set, k, 0, y, 1)]).toEqual([1, 15]);
  });

  it('draws distinct labelled images per class, deterministically for a seed', () => {
    const a = buildSemiSynthetic(source, spec);
    expect(new Set(a.leftSource.subarray(0, 8)).size).toBe(8);
    expect(new Set(a.rightSource.subarray(8)).size).toBe(4);
    const b = buildSemiSynthetic(source, spec);
    expect(b.set.pixels).toEqual(a.set.pixels);
    const other = buildSemiSynthetic(source, { ...spec, seed: 6 });
    expect([...other.leftSource, ...other.rightSource]).not.toEqual([...a.leftSource, ...a.rightSource]);
    const draw1 = buildSemiSynthetic(source, { ...spec, draw: 1 });
    expect([...draw1.leftSource, ...draw1.rightSource]).not.toEqual([...a.leftSource, ...a.rightSource]);
  });

  it('supports other sizes, a blank value and a rare-only (probe) set', () => {
    const built = buildSemiSynthetic(source, { ...spec, frequentCount: 0, rareCount: 6, size: [6, 8], blank: 7 });
    expect([built.set.count, built.set.height, built.set.width]).toEqual([12, 6, 8]);
    expect([...built.labelHalf].every((h) => h === SEMI_SYNTHETIC_HALF.right)).toBe(true);
    for (let y = 0; y < 6; y++) for (let x = 0; x < 4; x++) expect(at(built.set, 3, 1, y, x)).toBe(7);
  });

  it('names the class when a count exceeds what the source holds, and refuses bad specs', () => {
    let error: unknown;
    try {
      buildSemiSynthetic(source, { ...spec, rareCount: 7 });
    } catch (e) {
      error = e;
    }
    expect(hasErrorCode(error, ERROR_CODES.dataInvalid)).toBe(true);
    expect((error as Error).message).toBe("semi-synthetic set from 'src': class 1 ('b') needs 7 images but 'src' holds 6 of it; lower the counts of the semi-synthetic set");
    expect(() => buildSemiSynthetic(source, { ...spec, rareSources: [1, 2] })).toThrow(/must be distinct/);
    expect(() => buildSemiSynthetic(source, { ...spec, rareSources: [9] })).toThrow("semi-synthetic source class 9 is not a class of 'src' (0 .. 3)");
    expect(() => buildSemiSynthetic(source, { ...spec, size: [3, 5] })).toThrow(/even width/);
  });
});
