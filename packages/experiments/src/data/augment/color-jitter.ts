import { DRAW_SLOTS, type Draws } from './draws.js';
import { luma } from './grayscale.js';
import { shiftHue } from './hsv.js';

/**
 * ColorJitter with torchvision's meaning of each strength, applied with
 * probability p (RandomApply). SimSiam on CIFAR: brightness, contrast,
 * saturation 0.4, hue 0.1, p 0.8. A strength of 0 leaves that property alone.
 */
export interface ColorJitterOptions {
  /** Brightness factor drawn from [max(0, 1 - b), 1 + b] (SimSiam: 0.4). */
  readonly brightness: number;
  /** Contrast factor drawn from [max(0, 1 - c), 1 + c] (SimSiam: 0.4). */
  readonly contrast: number;
  /** Saturation factor drawn from [max(0, 1 - s), 1 + s] (SimSiam: 0.4). */
  readonly saturation: number;
  /** Hue shift drawn from [-h, h] turns, h in [0, 0.5] (SimSiam: 0.1). */
  readonly hue: number;
  /** Probability of jittering at all (SimSiam: 0.8). */
  readonly p: number;
}

/** The four adjustments, in torchvision's numbering (its randperm(4) orders these). */
const BRIGHTNESS = 0;
const CONTRAST = 1;
const SATURATION = 2;
const HUE = 3;

/** One view's jitter: the order of the four adjustments and their factors; null when not applied. */
export interface JitterParams {
  readonly order: readonly number[];
  readonly brightness: number;
  readonly contrast: number;
  readonly saturation: number;
  readonly hue: number;
}

export function checkColorJitterOptions(options: ColorJitterOptions): void {
  for (const name of ['brightness', 'contrast', 'saturation'] as const) {
    if (!(options[name] >= 0 && Number.isFinite(options[name]))) throw new RangeError(`colour jitter: ${name} must be a finite number >= 0, got ${options[name]}`);
  }
  if (!(options.hue >= 0 && options.hue <= 0.5)) throw new RangeError(`colour jitter: hue must be in [0, 0.5] turns, got ${options.hue}`);
  if (!(options.p >= 0 && options.p <= 1)) throw new RangeError(`colour jitter: p must be a probability in [0, 1], got ${options.p}`);
}

function factor(draw: number, strength: number): number {
  const lo = Math.max(0, 1 - strength);
  return lo + (1 + strength - lo) * draw;
}

/**
 * Draws whether to jitter (draw < p), a uniformly random order of the four
 * adjustments (argsort of four draws, as randperm), and the four factors.
 */
export function drawColorJitter(draws: Draws, options: ColorJitterOptions): JitterParams | null {
  const base = DRAW_SLOTS.colorJitter;
  if (!(draws.uniform(base) < options.p)) return null;
  const keys = [draws.uniform(base + 1), draws.uniform(base + 2), draws.uniform(base + 3), draws.uniform(base + 4)];
  const order = [0, 1, 2, 3].sort((a, b) => keys[a]! - keys[b]! || a - b);
  return {
    order,
    brightness: factor(draws.uniform(base + 5), options.brightness),
    contrast: factor(draws.uniform(base + 6), options.contrast),
    saturation: factor(draws.uniform(base + 7), options.saturation),
    hue: options.hue * (2 * draws.uniform(base + 8) - 1),
  };
}

const clamp01 = (x: number): number => (x < 0 ? 0 : x > 1 ? 1 : x);

/** torchvision adjust_brightness: blend with black, x * factor, clamped to [0, 1]. */
export function adjustBrightness(image: Float32Array, size: number, f: number): void {
  for (let i = 0; i < size; i++) image[i] = clamp01(image[i]! * f);
}

/**
 * torchvision adjust_contrast: blend with the image's mean grey level,
 * f * x + (1 - f) * mean, clamped. The mean is of the luma (3 channels) or of
 * the single channel (grayscale).
 */
export function adjustContrast(image: Float32Array, channels: number, plane: number, f: number): void {
  let sum = 0;
  if (channels === 3) for (let p = 0; p < plane; p++) sum += luma(image, plane, p);
  else for (let p = 0; p < plane; p++) sum += image[p]!;
  const offset = (1 - f) * (sum / plane);
  for (let i = 0; i < channels * plane; i++) image[i] = clamp01(f * image[i]! + offset);
}

/** torchvision adjust_saturation: blend each pixel with its own luma, f * x + (1 - f) * luma, clamped. */
export function adjustSaturation(image: Float32Array, plane: number, f: number): void {
  for (let p = 0; p < plane; p++) {
    const grey = (1 - f) * luma(image, plane, p);
    image[p] = clamp01(f * image[p]! + grey);
    image[plane + p] = clamp01(f * image[plane + p]! + grey);
    image[2 * plane + p] = clamp01(f * image[2 * plane + p]! + grey);
  }
}

/**
 * Applies the four adjustments in the drawn order. On a grayscale (1-channel)
 * image only brightness and contrast apply: saturation and hue are no-ops on
 * grey pixels, and torchvision returns a 1-channel image unchanged for them.
 * Their draws are still made, so a grey and a colour set share the other draws.
 */
export function applyColorJitter(image: Float32Array, channels: number, height: number, width: number, params: JitterParams): void {
  const plane = height * width;
  for (const op of params.order) {
    if (op === BRIGHTNESS) {
      if (params.brightness !== 1) adjustBrightness(image, channels * plane, params.brightness);
    } else if (op === CONTRAST) {
      if (params.contrast !== 1) adjustContrast(image, channels, plane, params.contrast);
    } else if (channels === 3 && op === SATURATION) {
      if (params.saturation !== 1) adjustSaturation(image, plane, params.saturation);
    } else if (channels === 3 && op === HUE) {
      if (params.hue !== 0) shiftHue(image, plane, params.hue);
    }
  }
}
