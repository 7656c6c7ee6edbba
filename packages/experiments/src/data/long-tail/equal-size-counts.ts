import { checkCountsAvailable, type ClassAvailability } from './check-available.js';
import { classCounts } from './class-counts.js';
import type { ImbalanceProfile } from './imbalance-profile.js';

/** Several imbalance ratios at one total size n, as the paper compares them. */
export interface EqualSizeSpec {
  readonly profile: ImbalanceProfile;
  readonly classes: number;
  /** Total images n, the same for every ratio. */
  readonly total: number;
  /** Imbalance ratios r to compare (paper, CIFAR-10: 1, 0.1, 0.01). */
  readonly ratios: readonly number[];
}

/** The class counts of one ratio. */
export interface RatioCounts {
  readonly ratio: number;
  readonly counts: number[];
}

function fits(spec: Omit<EqualSizeSpec, 'total'>, total: number, available: readonly number[]): boolean {
  return spec.ratios.every((ratio) => classCounts({ ...spec, ratio, total }).every((n, c) => n <= available[c]!));
}

/**
 * The largest n at which every ratio's counts fit in the dataset (found by
 * bisection: largest-remainder splits are not exactly monotone in n, so this
 * is an n that fits with n + 1 not fitting, which is what a message needs).
 */
export function largestEqualSize(spec: Omit<EqualSizeSpec, 'total'>, data: ClassAvailability): number {
  let lo = 0;
  let hi = 1;
  while (fits(spec, hi, data.available)) {
    lo = hi;
    hi *= 2;
    // More than the whole dataset never fits; this only guards against a bad `available`.
    if (hi > 2 ** 40) throw new RangeError(`cannot bound the dataset size of '${data.name}'`);
  }
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (fits(spec, mid, data.available)) lo = mid;
    else hi = mid;
  }
  return lo;
}

/**
 * Class counts for every ratio at the same total n. With `data`, checks each
 * against what the dataset holds and throws naming the ratio, the class, its
 * count, what the set holds, and the largest n that fits every ratio.
 */
export function equalSizeCounts(spec: EqualSizeSpec, data?: ClassAvailability): RatioCounts[] {
  if (spec.ratios.length === 0) throw new RangeError('give at least one imbalance ratio r to compare');
  const rows = spec.ratios.map((ratio) => ({ ratio, counts: classCounts({ profile: spec.profile, classes: spec.classes, total: spec.total, ratio }) }));
  if (data !== undefined) {
    for (const row of rows) {
      if (row.counts.every((n, c) => n <= (data.available[c] ?? 0)) && row.counts.length === data.available.length) continue;
      const largest = row.counts.length === data.available.length ? largestEqualSize(spec, data) : 0;
      checkCountsAvailable(
        data,
        row.counts,
        `at n = ${spec.total}, r = ${row.ratio}: `,
        `the largest n that fits every ratio (${spec.ratios.join(', ')}) is ${largest}`,
      );
    }
  }
  return rows;
}
