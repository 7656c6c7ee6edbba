import { describe, expect, it } from 'vitest';
import type { ImageSet } from '../image-set.js';
import { Augmenter, type AugmentationConfig } from './pipeline.js';
import { evalAugmentation, probeAugmentation, simsiamAugmentation } from './presets.js';

function makeSet(count: number, channels: number, height: number, width: number): ImageSet {
  return {
    name: 'generated',
    count,
    channels,
    height,
    width,
    pixels: Uint8Array.from({ length: count * channels * height * width }, (_, i) => (i * 2654435761) >>> 24),
    labels: Int32Array.from({ length: count }, (_, i) => i % 3),
    classes: 3,
  };
}

const rgbNorm = { mean: [0.5, 0.4, 0.3], std: [0.25, 0.2, 0.3] };
const greyNorm = { mean: [0.3], std: [0.35] };
const key = { seed: 11, epoch: 2 };

/** Image k of an NCHW batch. */
const imageOf = (batch: Float32Array, k: number, length: number): Float32Array => batch.subarray(k * length, (k + 1) * length);

describe('Augmenter', () => {
  it('returns one normalised NCHW batch per view, values within the normalised [0, 1] range', () => {
    for (const [set, norm] of [[makeSet(10, 3, 32, 32), rgbNorm], [makeSet(10, 1, 28, 28), greyNorm]] as const) {
      const augmenter = new Augmenter(set, simsiamAugmentation(norm));
      const views = augmenter.augment([0, 3, 9, 4], key, 2);
      expect(views).toHaveLength(2);
      const plane = set.height * set.width;
      for (const batch of views) {
        expect(batch.length).toBe(4 * set.channels * plane);
        for (let i = 0; i < batch.length; i++) {
          const c = Math.floor(i / plane) % set.channels;
          const lo = (0 - norm.mean[c]!) / norm.std[c]!;
          const hi = (1 - norm.mean[c]!) / norm.std[c]!;
          expect(batch[i]! >= lo - 1e-5 && batch[i]! <= hi + 1e-5).toBe(true);
        }
      }
      expect(views[0]).not.toEqual(views[1]);
    }
  });

  it('resizes to the requested size', () => {
    const augmenter = new Augmenter(makeSet(3, 3, 32, 32), simsiamAugmentation(rgbNorm, { size: [24, 20] }));
    expect(augmenter.augment([1, 2], key)[0]!.length).toBe(2 * 3 * 24 * 20);
  });

  it('the evaluation transform is the normalised image itself', () => {
    const set = makeSet(4, 3, 5, 6);
    const [batch] = new Augmenter(set, evalAugmentation(rgbNorm)).augment([2], key);
    const size = 3 * 5 * 6;
    for (let i = 0; i < size; i++) {
      const c = Math.floor(i / 30);
      expect(batch![i]).toBeCloseTo((set.pixels[2 * size + i]! / 255 - rgbNorm.mean[c]!) / rgbNorm.std[c]!, 5);
    }
  });

  it('is deterministic for (seed, epoch) and changes with either', () => {
    const set = makeSet(8, 3, 16, 16);
    const a = new Augmenter(set, simsiamAugmentation(rgbNorm)).augment([1, 5, 7], key, 2);
    const b = new Augmenter(set, simsiamAugmentation(rgbNorm)).augment([1, 5, 7], key, 2);
    expect(b).toEqual(a);
    const augmenter = new Augmenter(set, simsiamAugmentation(rgbNorm));
    expect(augmenter.augment([1, 5, 7], { ...key, seed: 12 }, 2)[0]).not.toEqual(a[0]);
    expect(augmenter.augment([1, 5, 7], { ...key, epoch: 3 }, 2)[0]).not.toEqual(a[0]);
  });

  it("gives a sample the same views whatever batch it is in, its position, and how the batch is split", () => {
    const set = makeSet(12, 3, 16, 16);
    const augmenter = new Augmenter(set, simsiamAugmentation(rgbNorm));
    const length = augmenter.imageLength;
    const whole = augmenter.augment([3, 8, 0, 11, 5], key, 2);
    const other = augmenter.augment([5, 2, 3], key, 2);
    for (const view of [0, 1]) {
      expect(imageOf(other[view]!, 0, length)).toEqual(imageOf(whole[view]!, 4, length));
      expect(imageOf(other[view]!, 2, length)).toEqual(imageOf(whole[view]!, 0, length));
    }
    // Built in two pieces, second piece first (as two workers might).
    const pieces = new Float32Array(5 * length);
    augmenter.augmentInto([3, 8, 0, 11, 5], key, 1, pieces, 2, 5);
    augmenter.augmentInto([3, 8, 0, 11, 5], key, 1, pieces, 0, 2);
    expect(pieces).toEqual(whole[1]);
  });

  it('each transform keeps its own draws: flipping on flips the very same crop', () => {
    const set = makeSet(6, 3, 12, 10);
    const base: AugmentationConfig = { crop: { scale: [0.3, 1] }, normalization: rgbNorm };
    const [plain] = new Augmenter(set, base).augment([0, 1, 2, 3, 4, 5], key);
    const [flipped] = new Augmenter(set, { ...base, flip: { p: 1 } }).augment([0, 1, 2, 3, 4, 5], key);
    for (let row = 0; row < 6 * 3 * 12; row++) {
      for (let x = 0; x < 10; x++) expect(flipped![row * 10 + x]).toBe(plain![row * 10 + 9 - x]);
    }
  });

  it('flips about half of the views with p = 0.5, none when flip is off', () => {
    // A left-to-right ramp image: a flipped view has its left column brighter than its right.
    const width = 8;
    const set: ImageSet = { ...makeSet(400, 1, 4, width), pixels: Uint8Array.from({ length: 400 * 4 * width }, (_, i) => (i % width) * 30) };
    const countFlipped = (config: AugmentationConfig) => {
      const [batch] = new Augmenter(set, config).augment(Int32Array.from({ length: 400 }, (_, i) => i), key);
      let flipped = 0;
      for (let k = 0; k < 400; k++) if (batch![k * 4 * width]! > batch![k * 4 * width + width - 1]!) flipped++;
      return flipped;
    };
    const half = countFlipped(probeAugmentation(greyNorm));
    expect(half).toBeGreaterThan(200 - 50); // Binomial(400, 0.5): std 10.
    expect(half).toBeLessThan(200 + 50);
    expect(countFlipped(probeAugmentation(greyNorm, { flip: false }))).toBe(0);
  });

  it('random grayscale at p = 1 makes the three channels equal before normalisation', () => {
    const set = makeSet(3, 3, 8, 8);
    const norm = { mean: [0.5, 0.5, 0.5], std: [0.5, 0.5, 0.5] };
    const [batch] = new Augmenter(set, { crop: { scale: [0.5, 1] }, grayscale: { p: 1 }, normalization: norm }).augment([0, 1, 2], key);
    for (let k = 0; k < 3; k++) {
      for (let p = 0; p < 64; p++) {
        const base = k * 192 + p;
        expect(batch![base + 64]).toBeCloseTo(batch![base]!, 5);
        expect(batch![base + 128]).toBeCloseTo(batch![base]!, 5);
      }
    }
  });

  it("presets carry docs/paper.md's SimSiam CIFAR parameters and the probe's crop", () => {
    expect(simsiamAugmentation(rgbNorm)).toEqual({
      crop: { scale: [0.2, 1] },
      flip: { p: 0.5 },
      colorJitter: { brightness: 0.4, contrast: 0.4, saturation: 0.4, hue: 0.1, p: 0.8 },
      grayscale: { p: 0.2 },
      normalization: rgbNorm,
    });
    expect(simsiamAugmentation(rgbNorm, { flip: false, size: [32, 32] }).flip).toBeUndefined();
    expect(probeAugmentation(rgbNorm)).toEqual({ crop: { scale: [0.8, 1] }, flip: { p: 0.5 }, normalization: rgbNorm });
  });

  it('refuses bad settings and indices, naming them', () => {
    const set = makeSet(3, 3, 8, 8);
    expect(() => new Augmenter(set, { normalization: greyNorm })).toThrow('normalisation has 1 means and 1 stds for 3-channel images');
    expect(() => new Augmenter(set, { crop: { scale: [0, 1] }, normalization: rgbNorm })).toThrow(/scale must satisfy 0 < min <= max <= 1/);
    expect(() => new Augmenter(set, { ...simsiamAugmentation(rgbNorm), colorJitter: { brightness: 0.4, contrast: 0.4, saturation: 0.4, hue: 0.7, p: 0.8 } })).toThrow(/hue must be in \[0, 0.5\]/);
    expect(() => new Augmenter(set, simsiamAugmentation(rgbNorm)).augment([3], key)).toThrow("image index 3 (batch position 0) is outside 'generated', which holds 3 images");
  });
});
