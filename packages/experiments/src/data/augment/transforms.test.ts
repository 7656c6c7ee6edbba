import { describe, expect, it } from 'vitest';
import { BilinearResizer } from './bilinear-resize.js';
import { adjustBrightness, adjustContrast, adjustSaturation, applyColorJitter, drawColorJitter } from './color-jitter.js';
import { DRAW_SLOTS, ViewDraws, type Draws } from './draws.js';
import { flipHorizontal } from './horizontal-flip.js';
import { shiftHue } from './hsv.js';
import { normalizeInto } from './normalize.js';
import { centerFallbackBox, randomResizedCropBox, roundHalfEven } from './random-resized-crop.js';
import { toGrayscale } from './random-grayscale.js';

/** Draws that return `value(slot)`, so a test fixes every random choice. */
const fixed = (value: (slot: number) => number): Draws => ({ uniform: value });

function randomImage(length: number, seed: number): Float32Array {
  const draws = new ViewDraws({ seed, epoch: 0 }).select(0, 0);
  return Float32Array.from({ length }, (_, i) => draws.uniform(i % 64) * 0.5 + ((i * 7919) % 101) / 202);
}

describe('random resized crop box (torchvision get_params)', () => {
  it("rounds halves to even, as Python's round", () => {
    expect([0.5, 1.5, 2.5, 3.5, 2.4, 2.6].map(roundHalfEven)).toEqual([0, 2, 2, 4, 2, 3]);
  });

  it('computes the box from the draws: area, aspect ratio and corner', () => {
    // 32 x 32, scale [0.2, 1], draws 0.5: area 0.6 * 1024 = 614.4, ratio exp(0) = 1, side round(24.79) = 25.
    const box = randomResizedCropBox(fixed(() => 0.5), 32, 32, { scale: [0.2, 1] });
    expect(box).toEqual({ top: 4, left: 4, height: 25, width: 25 });
    // Draw 0.999 for the corner: the last position that fits.
    const corner = randomResizedCropBox(fixed((s) => (s >= DRAW_SLOTS.crop + 20 ? 0.999 : 0.5)), 32, 32, { scale: [0.2, 1] });
    expect(corner).toEqual({ top: 7, left: 7, height: 25, width: 25 });
  });

  it('skips attempts that do not fit and takes the next one', () => {
    // Attempt 0: area 1.0, ratio 4/3 at the top of the range: w = round(sqrt(1024 * 4/3)) = 37 > 32, rejected.
    const draws = fixed((s) => (s === 0 ? 1 - 1e-12 : s === 1 ? 1 - 1e-12 : 0.5));
    const box = randomResizedCropBox(draws, 32, 32, { scale: [0.2, 1] });
    expect(box.height).toBe(25);
  });

  it("falls back to torchvision's centred crop after 10 misses", () => {
    // Aspect ratios in [4, 5] never fit a 10 x 10 image at full area.
    const box = randomResizedCropBox(fixed(() => 0.5), 10, 10, { scale: [1, 1], ratio: [4, 5] });
    // in-ratio 1 < 4: width 10, height round(10 / 4) = round(2.5) = 2 (half to even), centred.
    expect(box).toEqual({ top: 4, left: 0, height: 2, width: 10 });
    expect(centerFallbackBox(10, 40, 0.75, 4 / 3)).toEqual({ top: 0, left: 13, height: 10, width: 13 });
    expect(centerFallbackBox(8, 9, 0.75, 4 / 3)).toEqual({ top: 0, left: 0, height: 8, width: 9 });
  });

  it('keeps boxes inside the image with area and aspect in range (up to rounding)', () => {
    const draws = new ViewDraws({ seed: 3, epoch: 1 });
    for (let s = 0; s < 500; s++) {
      const box = randomResizedCropBox(draws.select(s, 0), 28, 32, { scale: [0.2, 1] });
      expect(box.top).toBeGreaterThanOrEqual(0);
      expect(box.left).toBeGreaterThanOrEqual(0);
      expect(box.top + box.height).toBeLessThanOrEqual(28);
      expect(box.left + box.width).toBeLessThanOrEqual(32);
      const area = (box.height * box.width) / (28 * 32);
      expect(area).toBeGreaterThan(0.2 * 0.8);
      expect(box.width / box.height).toBeGreaterThan((3 / 4) * 0.85);
      expect(box.width / box.height).toBeLessThan((4 / 3) * 1.15);
    }
  });
});

describe('bilinear resize', () => {
  const image = Uint8Array.from({ length: 2 * 6 * 5 }, (_, i) => (i * 37) % 256);

  it('is the identity (divided by 255) on the whole image at its own size', () => {
    const out = new Float32Array(60);
    new BilinearResizer(2, 6, 5, 6, 5).resize(image, 0, 0, 0, 6, 5, out);
    for (let i = 0; i < 60; i++) expect(out[i]).toBeCloseTo(image[i]! / 255, 6);
  });

  it('interpolates at half-pixel centres when upscaling, clamping at the edges', () => {
    // Row [0, 255] to 4 pixels: samples at u = -0.25, 0.25, 0.75, 1.25.
    const out = new Float32Array(4);
    new BilinearResizer(1, 1, 2, 1, 4).resize(Uint8Array.from([0, 255]), 0, 0, 0, 1, 2, out);
    expect([...out].map((v) => Number(v.toFixed(6)))).toEqual([0, 0.25, 0.75, 1]);
  });

  it('agrees between the two-tap upscaling path and the general tap-list path', () => {
    const resizer = new BilinearResizer(2, 6, 5, 9, 8);
    const fast = new Float32Array(2 * 9 * 8);
    const general = new Float32Array(2 * 9 * 8);
    for (const [top, left, h, w] of [[0, 0, 6, 5], [1, 2, 4, 3], [2, 0, 3, 5], [5, 4, 1, 1]] as const) {
      resizer.resize(image, 0, top, left, h, w, fast);
      resizer.resizeGeneral(image, 0, top, left, h, w, general);
      for (let i = 0; i < fast.length; i++) expect(fast[i]).toBeCloseTo(general[i]!, 6);
    }
  });

  it("downscales with PIL's widened triangle filter (antialiased), staying in range", () => {
    // 4 -> 2: output 0 has centre 1 and taps x = 0, 1, 2 with weights 0.75, 0.75, 0.25.
    const out = new Float32Array(2);
    new BilinearResizer(1, 1, 4, 1, 2).resize(Uint8Array.from([10, 20, 30, 40]), 0, 0, 0, 1, 4, out);
    expect(out[0]! * 255).toBeCloseTo((0.75 * 10 + 0.75 * 20 + 0.25 * 30) / 1.75, 4);
    expect(out[1]! * 255).toBeCloseTo((0.25 * 20 + 0.75 * 30 + 0.75 * 40) / 1.75, 4);
    const big = Uint8Array.from({ length: 3 * 32 * 32 }, (_, i) => (i * 131) % 256);
    const small = new Float32Array(3 * 10 * 12);
    new BilinearResizer(3, 32, 32, 10, 12).resize(big, 0, 0, 0, 32, 32, small);
    for (const v of small) expect(v >= 0 && v <= 1).toBe(true);
  });
});

describe('flip, grayscale, normalise', () => {
  it('flipping twice is the identity, once mirrors each row', () => {
    const image = randomImage(3 * 4 * 5, 1);
    const copy = image.slice();
    flipHorizontal(image, 3, 4, 5);
    expect(image[0]).toBe(copy[4]);
    expect(image[5 + 1]).toBe(copy[5 + 3]);
    expect(image[2]).toBe(copy[2]);
    expect(image).not.toEqual(copy);
    flipHorizontal(image, 3, 4, 5);
    expect(image).toEqual(copy);
  });

  it('grayscale puts the luma in all three channels and leaves 1-channel images alone', () => {
    // Planes R = [1, 0], G = [0, 1], B = [0, 0.5]: pixel 0 is red, pixel 1 is (0, 1, 0.5).
    const image = Float32Array.from([1, 0, 0, 1, 0, 0.5]);
    toGrayscale(image, 3, 1, 2);
    expect(image[0]).toBeCloseTo(0.2989, 6);
    expect(image[2]).toBeCloseTo(0.2989, 6);
    expect(image[4]).toBeCloseTo(0.2989, 6);
    expect(image[1]).toBeCloseTo(0.587 + 0.114 * 0.5, 6);
    expect(image[5]).toBeCloseTo(0.587 + 0.114 * 0.5, 6);
    const grey = Float32Array.from([0.1, 0.7]);
    toGrayscale(grey, 1, 1, 2);
    expect([...grey]).toEqual([Math.fround(0.1), Math.fround(0.7)]);
  });

  it('normalises per channel with the given constants', () => {
    const out = new Float32Array(5);
    normalizeInto(Float32Array.from([0, 1, 0.5, 0.5]), 2, 2, { mean: [0.5, 0.25], std: [0.5, 0.25] }, out, 1);
    expect([...out]).toEqual([0, -1, 1, 1, 1]);
  });
});

describe('colour jitter', () => {
  it('brightness scales and clamps; contrast 0 gives the mean grey; saturation 0 gives the luma', () => {
    const b = Float32Array.from([0.2, 0.8]);
    adjustBrightness(b, 2, 1.5);
    expect([...b].map((v) => Number(v.toFixed(6)))).toEqual([0.3, 1]);
    const rgb = randomImage(3 * 6, 2);
    const flat = rgb.slice();
    adjustContrast(flat, 3, 6, 0);
    let meanLuma = 0;
    for (let p = 0; p < 6; p++) meanLuma += (0.2989 * rgb[p]! + 0.587 * rgb[6 + p]! + 0.114 * rgb[12 + p]!) / 6;
    for (const v of flat) expect(v).toBeCloseTo(meanLuma, 6);
    const sat = rgb.slice();
    adjustSaturation(sat, 6, 0);
    const grey = rgb.slice();
    toGrayscale(grey, 3, 2, 3);
    for (let i = 0; i < sat.length; i++) expect(sat[i]).toBeCloseTo(grey[i]!, 6);
  });

  it('hue: a third of a turn takes red to green, three of them come back; grey pixels keep their value', () => {
    const red = Float32Array.from([1, 0, 0]);
    shiftHue(red, 1, 1 / 3);
    expect([...red].map((v) => Number(v.toFixed(5)))).toEqual([0, 1, 0]);
    const image = randomImage(3 * 10, 4);
    const copy = image.slice();
    for (let k = 0; k < 3; k++) shiftHue(image, 10, 1 / 3);
    for (let i = 0; i < image.length; i++) expect(image[i]).toBeCloseTo(copy[i]!, 5);
    const grey = Float32Array.from([0.4, 0.4, 0.4]);
    shiftHue(grey, 1, 0.1);
    expect([...grey]).toEqual([Math.fround(0.4), Math.fround(0.4), Math.fround(0.4)]);
    const back = randomImage(3 * 10, 5);
    const original = back.slice();
    shiftHue(back, 10, -0.1);
    shiftHue(back, 10, 0.1);
    for (let i = 0; i < back.length; i++) expect(back[i]).toBeCloseTo(original[i]!, 5);
  });

  it('on grayscale images only brightness and contrast act', () => {
    const image = randomImage(12, 6);
    const params = { order: [2, 3], brightness: 1, contrast: 1, saturation: 0, hue: 0.3 };
    const copy = image.slice();
    applyColorJitter(image, 1, 3, 4, params);
    expect(image).toEqual(copy);
    applyColorJitter(image, 1, 3, 4, { ...params, order: [0, 1, 2, 3], brightness: 0.5, contrast: 1 });
    for (let i = 0; i < 12; i++) expect(image[i]).toBeCloseTo(copy[i]! * 0.5, 6);
  });

  it('applies with probability p, in a uniformly random order, with factors in range', () => {
    const options = { brightness: 0.4, contrast: 0.4, saturation: 0.4, hue: 0.1, p: 0.8 };
    const draws = new ViewDraws({ seed: 9, epoch: 0 });
    let applied = 0;
    const first = [0, 0, 0, 0];
    const n = 4000;
    for (let s = 0; s < n; s++) {
      const params = drawColorJitter(draws.select(s, 0), options);
      if (!params) continue;
      applied++;
      expect([...params.order].sort()).toEqual([0, 1, 2, 3]);
      first[params.order[0]!]! += 1;
      for (const f of [params.brightness, params.contrast, params.saturation]) expect(f >= 0.6 && f <= 1.4).toBe(true);
      expect(Math.abs(params.hue)).toBeLessThanOrEqual(0.1);
    }
    // Binomial(4000, 0.8): std 25; each op first in a quarter of 3200: std 24.
    expect(Math.abs(applied - 0.8 * n)).toBeLessThan(125);
    for (const count of first) expect(Math.abs(count - applied / 4)).toBeLessThan(125);
    expect(drawColorJitter(fixed(() => 0.5), { ...options, p: 0 })).toBeNull();
  });
});
