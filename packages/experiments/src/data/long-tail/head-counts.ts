import { checkImbalanceSpec, classPrior, floorGuarded, type ImbalanceSpec } from './imbalance-profile.js';

/** The head-size form: the head class keeps N images and every other class a share of it. */
export interface HeadCountsSpec extends ImbalanceSpec {
  /** Images of the head class, N (CIFAR-10: 5000, all of a class). */
  readonly head: number;
}

/**
 * Class counts of docs/paper.md's head-size form: n_i = floor(N * r^(i / (C - 1)))
 * (exp) or N for the first floor(C / 2) classes and floor(N * r) for the rest
 * (step). The total n follows from N and r, so it differs between ratios; use
 * `classCounts` to compare ratios at the same n, as the paper does.
 * CIFAR-10, N = 5000, exp, r = 0.1: [5000, 3871, 2997, 2320, 1796, 1391, 1077, 834, 645, 500].
 */
export function headCounts(spec: HeadCountsSpec): number[] {
  checkImbalanceSpec(spec);
  if (!Number.isInteger(spec.head) || spec.head < 1) throw new RangeError(`head size N must be a positive integer, got ${spec.head}`);
  return Array.from({ length: spec.classes }, (_, i) => floorGuarded(spec.head * classPrior(spec, i)));
}
