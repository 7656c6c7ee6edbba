import { CounterRng, RNG_STREAMS } from '@ltssl/core';
import type { FeatureMatrix } from '../eval/extract-features.js';

/**
 * rwSAM's per-example weights (docs/paper.md): large for examples in low-density
 * regions of feature space. The paper's KDE code is not released, so every
 * choice is a parameter: density_j = mean_k exp(-||f_j - f_k||^2 / (2 h^2))
 * over a seeded reference subset, f L2-normalised; weight_j = density_j^-beta,
 * normalised to mean 1 over the training set (SAM normalises its ascent, so
 * only the weights' ratios matter).
 */
export interface KdeWeightOptions {
  /** Reference examples the density is estimated against (default 4096; all when fewer). */
  readonly referenceSize?: number;
  /** Gaussian kernel bandwidth h on L2-normalised features (default 0.5). */
  readonly bandwidth?: number;
  /** beta: weight = density^-beta (default 1; 0 gives uniform weights). */
  readonly temperature?: number;
  readonly seed: number;
}

function normalizeToMeanOne(weights: Float32Array): Float32Array {
  let sum = 0;
  for (const w of weights) sum += w;
  const scale = weights.length / sum;
  return weights.map((w) => w * scale);
}

export function kdeWeights(features: FeatureMatrix, o: KdeWeightOptions): Float32Array {
  const { count, dim } = features;
  const h = o.bandwidth ?? 0.5;
  const beta = o.temperature ?? 1;
  if (!(h > 0)) throw new RangeError(`rwSAM bandwidth must be positive, got ${h}`);
  const f = new Float32Array(features.values.length);
  for (let r = 0; r < count; r++) {
    let norm = 0;
    for (let d = 0; d < dim; d++) norm += features.values[r * dim + d]! ** 2;
    const inv = 1 / Math.max(Math.sqrt(norm), 1e-12);
    for (let d = 0; d < dim; d++) f[r * dim + d] = features.values[r * dim + d]! * inv;
  }
  const size = Math.min(o.referenceSize ?? 4096, count);
  const reference = new CounterRng(o.seed, RNG_STREAMS.sample, 7).permutation(count).slice(0, size);
  const weights = new Float32Array(count);
  for (let j = 0; j < count; j++) {
    let density = 0;
    for (const k of reference) {
      // ||f_j - f_k||^2 = 2 - 2 cos for unit vectors.
      let dot = 0;
      for (let d = 0; d < dim; d++) dot += f[j * dim + d]! * f[k * dim + d]!;
      density += Math.exp(-(2 - 2 * dot) / (2 * h * h));
    }
    weights[j] = (density / size) ** -beta;
  }
  return normalizeToMeanOne(weights);
}

/** The paper's oracle ablation: weight base^label (1.2^label on CIFAR: the tail classes have the high labels), mean 1. */
export function labelWeights(labels: ArrayLike<number>, base = 1.2): Float32Array {
  return normalizeToMeanOne(Float32Array.from(labels, (y) => base ** y));
}
