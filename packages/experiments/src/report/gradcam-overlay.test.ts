import { describe, expect, it } from 'vitest';
import { gradCamOverlay, jet, stripOf, upsampleBilinear } from './gradcam-overlay.js';

describe('Grad-CAM overlays', () => {
  it("uses jet's blue for 0, green in the middle and red for 1", () => {
    expect(jet(0)).toEqual([0, 0, 0.5]);
    expect(jet(0.5)).toEqual([0.5, 1, 0.5]);
    expect(jet(1)).toEqual([0.5, 0, 0]);
    expect(jet(2)).toEqual(jet(1));
  });

  it('upsamples bilinearly with pixel centres aligned (align_corners=False)', () => {
    // [0, 1] to 4 columns: centres at -0.25, 0.25, 0.75, 1.25 of the input, clamped.
    expect([...upsampleBilinear([0, 1], 1, 2, 1, 4)]).toEqual([0, 0.25, 0.75, 1]);
    expect([...upsampleBilinear([2, 2, 2, 2], 2, 2, 3, 3)].every((v) => v === 2)).toBe(true);
  });

  it('shows the plain grayscale image where the map is zero and the heat where it peaks', () => {
    const image = { channels: 1, height: 1, width: 2, pixels: [0, 255] };
    const plain = gradCamOverlay({ image, cam: { height: 1, width: 2, values: [0, 0] } }, 2);
    expect([plain.width, plain.height]).toEqual([4, 2]);
    expect([...plain.rgb.subarray(0, 3), ...plain.rgb.subarray(9, 12)]).toEqual([0, 0, 0, 255, 255, 255]);
    const hot = gradCamOverlay({ image, cam: { height: 1, width: 1, values: [3] } }, 1);
    // Constant map: t = 1 everywhere, opacity 0.6 of [0.5, 0, 0] over the gray.
    expect([...hot.rgb]).toEqual([Math.round(255 * 0.6 * 0.5), 0, 0, Math.round(255 * (0.4 + 0.3)), Math.round(255 * 0.4), Math.round(255 * 0.4)]);
    expect(() => gradCamOverlay({ image, cam: { height: 1, width: 1, values: [1] } }, 0)).toThrow(/scale/);
  });

  it('lays images side by side with white gaps', () => {
    const a = { width: 1, height: 1, rgb: Uint8Array.from([1, 2, 3]) };
    const strip = stripOf([a, a], 2);
    expect([strip.width, strip.height]).toEqual([4, 1]);
    expect([...strip.rgb]).toEqual([1, 2, 3, 255, 255, 255, 255, 255, 255, 1, 2, 3]);
    expect(() => stripOf([a, { width: 1, height: 2, rgb: new Uint8Array(6) }], 1)).toThrow(/one height/);
  });
});
