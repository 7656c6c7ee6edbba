import { describe, expect, it } from 'vitest';
import type { ImageSet } from './image-set.js';
import { computeNormalization } from './normalization.js';

function set(channels: number, pixels: number[], count: number): ImageSet {
  const plane = pixels.length / (count * channels);
  return { name: 't', count, channels, height: 1, width: plane, pixels: Uint8Array.from(pixels), labels: new Int32Array(count), classes: 1 };
}

describe('computeNormalization', () => {
  it('gives the mean and population std of each channel on the [0, 1] scale', () => {
    // Two images, two channels, two pixels a plane. Channel 0 holds 0, 255, 255, 0 (mean 127.5,
    // std 127.5); channel 1 holds 51, 51, 102, 102 (mean 76.5, std 25.5).
    const { mean, std } = computeNormalization(set(2, [0, 255, 51, 51, 255, 0, 102, 102], 2));
    expect(mean[0]).toBeCloseTo(0.5, 12);
    expect(std[0]).toBeCloseTo(0.5, 12);
    expect(mean[1]).toBeCloseTo(0.3, 12);
    expect(std[1]).toBeCloseTo(0.1, 12);
  });

  it('gives std 0 for a constant image', () => {
    const { mean, std } = computeNormalization(set(1, [17, 17, 17], 1));
    expect(mean[0]).toBeCloseTo(17 / 255, 12);
    expect(std).toEqual([0]);
  });
});
