import type { Normalization } from '../normalization.js';

export function checkNormalization(normalization: Normalization, channels: number): void {
  const { mean, std } = normalization;
  if (mean.length !== channels || std.length !== channels) {
    throw new RangeError(`normalisation has ${mean.length} means and ${std.length} stds for ${channels}-channel images; give one of each per channel`);
  }
  for (let c = 0; c < channels; c++) {
    if (!Number.isFinite(mean[c]) || !(std[c]! > 0 && Number.isFinite(std[c]))) throw new RangeError(`normalisation of channel ${c}: mean must be finite and std > 0, got mean ${mean[c]}, std ${std[c]}`);
  }
}

/**
 * Writes (x - mean[c]) / std[c] of a planar [0, 1] image into `out` at
 * `outOffset`: torchvision's Normalize after ToTensor, with the dataset's
 * constants (from its full balanced train split, never the imbalanced subset).
 */
export function normalizeInto(image: Float32Array, channels: number, plane: number, normalization: Normalization, out: Float32Array, outOffset: number): void {
  for (let c = 0; c < channels; c++) {
    const mean = normalization.mean[c]!;
    const scale = 1 / normalization.std[c]!;
    const src = c * plane;
    const dst = outOffset + c * plane;
    for (let p = 0; p < plane; p++) out[dst + p] = (image[src + p]! - mean) * scale;
  }
}
