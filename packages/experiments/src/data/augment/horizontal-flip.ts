import { DRAW_SLOTS, type Draws } from './draws.js';

/** RandomHorizontalFlip. */
export interface HorizontalFlipOptions {
  /** Probability of flipping (torchvision and SimSiam: 0.5). */
  readonly p: number;
}

/** Whether this view is flipped: draw < p, as torchvision's `torch.rand(1) < p`. */
export function drawFlip(draws: Draws, options: HorizontalFlipOptions): boolean {
  return draws.uniform(DRAW_SLOTS.flip) < options.p;
}

/** Mirrors every row of a planar image (channels x height x width) in place. */
export function flipHorizontal(image: Float32Array, channels: number, height: number, width: number): void {
  for (let row = 0; row < channels * height; row++) {
    const start = row * width;
    for (let i = start, j = start + width - 1; i < j; i++, j--) {
      const t = image[i]!;
      image[i] = image[j]!;
      image[j] = t;
    }
  }
}
