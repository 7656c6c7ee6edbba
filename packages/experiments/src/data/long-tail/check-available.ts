import { ERROR_CODES, LtsslError } from '@ltssl/core';
import { describeClass } from '../class-index.js';
import type { ImageSet } from '../image-set.js';

/** What a check needs to know about a dataset: its name, class names and images per class. */
export interface ClassAvailability {
  readonly name: string;
  readonly classNames?: readonly string[];
  /** Images of each class the dataset holds. */
  readonly available: readonly number[];
}

/**
 * Throws when `counts` asks for more images of a class than the dataset holds,
 * naming the class (index and name), the count asked for and what the set holds.
 * `context` prefixes the message ('r = 0.01: '), `advice` ends it.
 */
export function checkCountsAvailable(
  data: ClassAvailability,
  counts: readonly number[],
  context = '',
  advice = 'lower the total n or the head size N, or use a larger dataset',
): void {
  if (counts.length !== data.available.length) {
    throw new RangeError(`${context}${counts.length} class counts given for '${data.name}', which has ${data.available.length} classes`);
  }
  for (let c = 0; c < counts.length; c++) {
    const wanted = counts[c]!;
    if (!Number.isInteger(wanted) || wanted < 0) throw new RangeError(`${context}the count of ${describeClass(data, c)} must be a non-negative integer, got ${wanted}`);
    if (wanted > data.available[c]!) {
      throw new LtsslError(
        ERROR_CODES.dataInvalid,
        `${context}${describeClass(data, c)} needs ${wanted} images but '${data.name}' holds ${data.available[c]} of it; ${advice}`,
      );
    }
  }
}

/** Adapts an ImageSet plus its per-class counts to a ClassAvailability. */
export function availabilityOf(set: Pick<ImageSet, 'name' | 'classNames'>, available: readonly number[]): ClassAvailability {
  return { name: set.name, ...(set.classNames === undefined ? {} : { classNames: set.classNames }), available };
}
