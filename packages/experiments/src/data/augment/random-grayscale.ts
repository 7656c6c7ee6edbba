import { DRAW_SLOTS, type Draws } from './draws.js';
import { luma } from './grayscale.js';

/** RandomGrayscale. */
export interface RandomGrayscaleOptions {
  /** Probability of turning the view grey (SimSiam: 0.2). */
  readonly p: number;
}

/** Whether this view turns grey: draw < p. */
export function drawGrayscale(draws: Draws, options: RandomGrayscaleOptions): boolean {
  return draws.uniform(DRAW_SLOTS.grayscale) < options.p;
}

/**
 * Replaces each pixel of a 3-channel image by its luma in all three channels
 * (torchvision keeps the channel count). A 1-channel image is already grey and
 * is left as it is.
 */
export function toGrayscale(image: Float32Array, channels: number, height: number, width: number): void {
  if (channels === 1) return;
  if (channels !== 3) throw new RangeError(`grayscale needs 1 or 3 channels, got ${channels}`);
  const plane = height * width;
  for (let p = 0; p < plane; p++) {
    const y = luma(image, plane, p);
    image[p] = y;
    image[plane + p] = y;
    image[2 * plane + p] = y;
  }
}
