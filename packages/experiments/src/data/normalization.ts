import { imageSize, type ImageSet } from './image-set.js';

/**
 * Per-channel mean and standard deviation of pixel values on the [0, 1] scale,
 * the constants a batch is normalised with: (x / 255 - mean[c]) / std[c].
 * They come from a dataset's full, balanced train split, once, and are never
 * recomputed per imbalanced subset: a long-tailed sample would otherwise shift
 * the input distribution along with r and confound the study.
 */
export interface Normalization {
  readonly mean: readonly number[];
  readonly std: readonly number[];
}

/**
 * Mean and population standard deviation of every pixel of each channel.
 * Sums are of integers (below 2^53 for any set under 2^27 images of 28x28),
 * so they are exact; only the last division rounds.
 */
export function computeNormalization(set: ImageSet): Normalization {
  const plane = set.height * set.width;
  const size = imageSize(set);
  const mean: number[] = [];
  const std: number[] = [];
  for (let c = 0; c < set.channels; c++) {
    let sum = 0;
    let squares = 0;
    for (let i = 0; i < set.count; i++) {
      const start = i * size + c * plane;
      let rowSum = 0;
      let rowSquares = 0;
      for (let p = start; p < start + plane; p++) {
        const v = set.pixels[p]!;
        rowSum += v;
        rowSquares += v * v;
      }
      sum += rowSum;
      squares += rowSquares;
    }
    const n = set.count * plane;
    const m = sum / n;
    mean.push(m / 255);
    std.push(Math.sqrt(Math.max(0, squares / n - m * m)) / 255);
  }
  return { mean, std };
}
