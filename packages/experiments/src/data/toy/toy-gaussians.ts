import { CounterRng, hashName, RNG_STREAMS } from '@ltssl/core';

/**
 * The Gaussian model of the paper's theory section (docs/paper.md "Toy model"),
 * with e1, e2 the first two standard basis vectors of R^d (any orthonormal
 * pair gives the same problem up to a rotation, to which both the SL and the
 * SSL objective are invariant), q ~ Uniform{0, 1} and xi ~ N(0, I_d):
 * - class 0 (paper's class 1):        x =  e1 - q tau e2 + rho xi
 * - class 1 (paper's class 2):        x = -e1 - q tau e2 + rho xi
 * - class 2 (paper's class 3, rare):  x =  e2 + rho xi
 * The rare class is what e2 separates; its share of the data goes to 0 in the theory.
 */
export interface ToyGaussianSpec {
  /** Dimension d of the features (at least 2). */
  readonly dim: number;
  /** tau: how far the frequent classes spread along e2 (q tau, q in {0, 1}). */
  readonly tau: number;
  /** rho: standard deviation of the isotropic noise. */
  readonly rho: number;
  /** Samples of the three classes [class 0, class 1, class 2 (rare)]. */
  readonly counts: readonly [number, number, number];
  readonly seed: number;
  /** Independent draws from one seed (train 0, test 1, ...); default 0. */
  readonly draw?: number;
}

export interface ToyGaussianData {
  /** count x dim, row-major: sample k is features[k * dim .. (k + 1) * dim). */
  readonly features: Float32Array;
  /** Class of each sample, grouped: counts[0] zeros, then ones, then twos. */
  readonly labels: Int32Array;
  /** q of each sample (0 or 1; 0 for the rare class, which has none). */
  readonly q: Uint8Array;
  readonly count: number;
  readonly dim: number;
  readonly classes: 3;
}

/**
 * Samples the toy model, seeded: the noise of sample k, coordinate j is normal
 * draw k * dim + j, and q of sample k is 1 when uniform draw k is below 1/2, of
 * CounterRng stream `data` with steps hashed from 'toy-gaussians/<draw>/noise'
 * and '.../q'. Samples are grouped by class, so shuffle before batching.
 */
export function toyGaussians(spec: ToyGaussianSpec): ToyGaussianData {
  const { dim, tau, rho, counts } = spec;
  if (!Number.isInteger(dim) || dim < 2) throw new RangeError(`toy model dimension d must be an integer of at least 2 (e1 and e2), got ${dim}`);
  if (!Number.isFinite(tau)) throw new RangeError(`toy model tau must be finite, got ${tau}`);
  if (!(rho >= 0 && Number.isFinite(rho))) throw new RangeError(`toy model rho (noise std) must be finite and >= 0, got ${rho}`);
  if (counts.length !== 3 || counts.some((n) => !Number.isInteger(n) || n < 0)) throw new RangeError(`toy model counts must be three non-negative integers [class 0, class 1, rare class 2], got [${counts.join(', ')}]`);
  const draw = spec.draw ?? 0;
  const noise = new CounterRng(spec.seed, RNG_STREAMS.data, hashName(`toy-gaussians/${draw}/noise`));
  const coin = new CounterRng(spec.seed, RNG_STREAMS.data, hashName(`toy-gaussians/${draw}/q`));
  const count = counts[0] + counts[1] + counts[2];
  const features = new Float32Array(count * dim);
  const labels = new Int32Array(count);
  const q = new Uint8Array(count);
  let k = 0;
  for (let label = 0; label < 3; label++) {
    for (let n = 0; n < counts[label]!; n++, k++) {
      const row = k * dim;
      for (let j = 0; j < dim; j++) features[row + j] = rho * noise.normal(row + j);
      labels[k] = label;
      if (label === 2) {
        features[row + 1]! += 1;
      } else {
        q[k] = coin.uniform(k) < 0.5 ? 1 : 0;
        features[row]! += label === 0 ? 1 : -1;
        features[row + 1]! -= q[k]! * tau;
      }
    }
  }
  return { features, labels, q, count, dim, classes: 3 };
}
