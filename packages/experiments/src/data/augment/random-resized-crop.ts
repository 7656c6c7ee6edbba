import { DRAW_SLOTS, type Draws } from './draws.js';

/** torchvision's RandomResizedCrop ranges; the output size is the pipeline's. */
export interface RandomResizedCropOptions {
  /** Range of the crop's area as a fraction of the image's (torchvision: [0.08, 1]; SimSiam CIFAR: [0.2, 1]; probe: [0.8, 1]). */
  readonly scale: readonly [number, number];
  /** Range of the crop's aspect ratio width / height, sampled log-uniformly (torchvision: [3/4, 4/3]). */
  readonly ratio?: readonly [number, number];
}

/** torchvision's default aspect-ratio range. */
export const DEFAULT_CROP_RATIO: readonly [number, number] = [3 / 4, 4 / 3];

/** A box in pixels, top-left corner and size. */
export interface CropBox {
  readonly top: number;
  readonly left: number;
  readonly height: number;
  readonly width: number;
}

/** Python's round(): halves go to the even neighbour, as torchvision's int(round(...)) does. */
export function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

export function checkCropOptions(options: RandomResizedCropOptions): void {
  const [lo, hi] = options.scale;
  if (!(lo > 0 && lo <= hi && hi <= 1)) throw new RangeError(`random resized crop: scale must satisfy 0 < min <= max <= 1, got [${lo}, ${hi}]`);
  const [rlo, rhi] = options.ratio ?? DEFAULT_CROP_RATIO;
  if (!(rlo > 0 && rlo <= rhi && Number.isFinite(rhi))) throw new RangeError(`random resized crop: ratio must satisfy 0 < min <= max, got [${rlo}, ${rhi}]`);
}

/**
 * torchvision's RandomResizedCrop.get_params: up to 10 attempts at a box of
 * area scale * H * W and aspect ratio exp(U(log ratio)), each kept if it fits;
 * its corner is uniform over the positions that fit. After 10 misses, the
 * largest centred box whose aspect ratio is clamped into the range (the whole
 * image when its own ratio is inside it).
 */
export function randomResizedCropBox(draws: Draws, height: number, width: number, options: RandomResizedCropOptions): CropBox {
  const area = height * width;
  const [scaleLo, scaleHi] = options.scale;
  const [ratioLo, ratioHi] = options.ratio ?? DEFAULT_CROP_RATIO;
  const logLo = Math.log(ratioLo);
  const logHi = Math.log(ratioHi);
  for (let attempt = 0; attempt < 10; attempt++) {
    const targetArea = area * (scaleLo + (scaleHi - scaleLo) * draws.uniform(DRAW_SLOTS.crop + 2 * attempt));
    const aspect = Math.exp(logLo + (logHi - logLo) * draws.uniform(DRAW_SLOTS.crop + 2 * attempt + 1));
    const w = roundHalfEven(Math.sqrt(targetArea * aspect));
    const h = roundHalfEven(Math.sqrt(targetArea / aspect));
    if (w > 0 && w <= width && h > 0 && h <= height) {
      const top = Math.floor(draws.uniform(DRAW_SLOTS.crop + 20) * (height - h + 1));
      const left = Math.floor(draws.uniform(DRAW_SLOTS.crop + 21) * (width - w + 1));
      return { top, left, height: h, width: w };
    }
  }
  return centerFallbackBox(height, width, ratioLo, ratioHi);
}

/** torchvision's fallback: a centred crop with the aspect ratio clamped into [ratioLo, ratioHi]. */
export function centerFallbackBox(height: number, width: number, ratioLo: number, ratioHi: number): CropBox {
  const inRatio = width / height;
  let w = width;
  let h = height;
  if (inRatio < ratioLo) h = roundHalfEven(w / ratioLo);
  else if (inRatio > ratioHi) w = roundHalfEven(h * ratioHi);
  return { top: Math.floor((height - h) / 2), left: Math.floor((width - w) / 2), height: h, width: w };
}
