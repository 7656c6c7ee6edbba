import { classPriors, type ImbalanceSpec } from './imbalance-profile.js';

/** The fixed-size form: n images in total, split over the classes by their priors. */
export interface ClassCountsSpec extends ImbalanceSpec {
  /** Total number of images n (the paper compares ratios at equal n). */
  readonly total: number;
}

/**
 * Remainders closer than this are a tie. The quotas n * p_i / sum(p) carry
 * rounding error, so two classes whose quotas are equal in exact arithmetic
 * (all classes at r = 1, a level of the step profile) can differ in the last
 * bits; quantising the remainder makes such ties exact, and ties go to the
 * lower class index (the head side), so the split never depends on noise.
 */
const TIE_QUANTUM = 1e-9;

/**
 * A largest-remainder (Hamilton) split of `total` over priors proportional to
 * r^(i / (C - 1)) (exp) or the two step levels: every class gets floor of its
 * quota n * p_i / sum(p), and the images left over go one each to the classes
 * with the largest remainders, ties to the lower class index. The counts sum
 * to exactly n; a tail class may get 0 when n is small. Class 0 is the head.
 */
export function classCounts(spec: ClassCountsSpec): number[] {
  const priors = classPriors(spec);
  if (!Number.isInteger(spec.total) || spec.total < 0) throw new RangeError(`total number of images n must be a non-negative integer, got ${spec.total}`);
  const sum = priors.reduce((a, b) => a + b, 0);
  const quotas = priors.map((p) => (spec.total * p) / sum);
  // Quotas within the tie quantum below an integer are that integer (see TIE_QUANTUM).
  const counts = quotas.map((q) => Math.floor(q + TIE_QUANTUM));
  const remainders = quotas.map((q, i) => Math.max(0, Math.round((q - counts[i]!) / TIE_QUANTUM)));
  let left = spec.total - counts.reduce((a, b) => a + b, 0);
  const order = counts.map((_, i) => i).sort((a, b) => remainders[b]! - remainders[a]! || a - b);
  for (let k = 0; left > 0; k++, left--) counts[order[k % order.length]!]! += 1;
  return counts;
}
