import type { GradCamExample } from '../study/semi-synthetic/gradcam-examples.js';

/** An RGB image, row-major, 3 bytes a pixel. */
export interface RgbImage {
  readonly width: number;
  readonly height: number;
  readonly rgb: Uint8Array;
}

/** The 'jet' colour map Grad-CAM figures use (blue: low, red: high), t in [0, 1] -> RGB in [0, 1]. */
export function jet(t: number): [number, number, number] {
  const x = Math.min(1, Math.max(0, t));
  const ramp = (centre: number): number => Math.min(1, Math.max(0, 1.5 - Math.abs(4 * x - centre)));
  return [ramp(3), ramp(2), ramp(1)];
}

/**
 * Bilinear resampling of a map [height, width] to [outHeight, outWidth], the
 * sampling of OpenCV's resize and PyTorch's interpolate(align_corners=False):
 * output pixel centres mapped onto the input grid, clamped at the edges.
 */
export function upsampleBilinear(values: ArrayLike<number>, height: number, width: number, outHeight: number, outWidth: number): Float32Array {
  const out = new Float32Array(outHeight * outWidth);
  const axis = (o: number, inSize: number, outSize: number): [number, number, number] => {
    const s = Math.min(inSize - 1, Math.max(0, (o + 0.5) * (inSize / outSize) - 0.5));
    const lo = Math.floor(s);
    return [lo, Math.min(inSize - 1, lo + 1), s - lo];
  };
  for (let y = 0; y < outHeight; y++) {
    const [y0, y1, fy] = axis(y, height, outHeight);
    for (let x = 0; x < outWidth; x++) {
      const [x0, x1, fx] = axis(x, width, outWidth);
      const top = values[y0 * width + x0]! * (1 - fx) + values[y0 * width + x1]! * fx;
      const bottom = values[y1 * width + x0]! * (1 - fx) + values[y1 * width + x1]! * fx;
      out[y * outWidth + x] = top * (1 - fy) + bottom * fy;
    }
  }
  return out;
}

/** Largest opacity of the heat map, where the map peaks: the image stays readable beneath. */
const MAX_HEAT_OPACITY = 0.6;

/**
 * A Grad-CAM overlay: the composite in grayscale (channels averaged), each
 * pixel shown as a scale x scale block, and the map, upsampled bilinearly to
 * the same size and scaled to its own maximum, on top in the jet colours
 * with an opacity growing with the map (so where the map is 0 the image shows
 * plain). An all-zero map leaves the plain image.
 */
export function gradCamOverlay(example: Pick<GradCamExample, 'image' | 'cam'>, scale: number): RgbImage {
  if (!(Number.isInteger(scale) && scale >= 1)) throw new RangeError(`overlay scale must be a positive integer, got ${scale}`);
  const { channels, height, width, pixels } = example.image;
  const outHeight = height * scale;
  const outWidth = width * scale;
  const heat = upsampleBilinear(example.cam.values, example.cam.height, example.cam.width, outHeight, outWidth);
  const peak = Math.max(0, ...example.cam.values);
  const rgb = new Uint8Array(outHeight * outWidth * 3);
  const plane = height * width;
  for (let y = 0; y < outHeight; y++) {
    for (let x = 0; x < outWidth; x++) {
      const source = Math.floor(y / scale) * width + Math.floor(x / scale);
      let gray = 0;
      for (let c = 0; c < channels; c++) gray += pixels[c * plane + source]!;
      gray /= channels * 255;
      const t = peak > 0 ? Math.max(0, heat[y * outWidth + x]!) / peak : 0;
      const alpha = MAX_HEAT_OPACITY * t;
      const colour = jet(t);
      for (let k = 0; k < 3; k++) rgb[(y * outWidth + x) * 3 + k] = Math.round(255 * ((1 - alpha) * gray + alpha * colour[k]!));
    }
  }
  return { width: outWidth, height: outHeight, rgb };
}

/**
 * Images side by side in one strip, `gap` white pixels apart (all of one
 * height): the overlays of one arm, frequent examples then rare ones.
 */
export function stripOf(images: readonly RgbImage[], gap: number): RgbImage {
  if (images.length === 0) throw new RangeError('a strip needs at least one image');
  const height = images[0]!.height;
  if (images.some((i) => i.height !== height)) throw new RangeError(`strip images must share one height; got ${images.map((i) => i.height).join(', ')}`);
  const width = images.reduce((w, i) => w + i.width, 0) + gap * (images.length - 1);
  const rgb = new Uint8Array(width * height * 3).fill(255);
  let left = 0;
  for (const image of images) {
    for (let y = 0; y < height; y++) rgb.set(image.rgb.subarray(y * image.width * 3, (y + 1) * image.width * 3), (y * width + left) * 3);
    left += image.width + gap;
  }
  return { width, height, rgb };
}
