import { CounterRng, RNG_STREAMS } from '@ltssl/core';
import { classIndex } from '../class-index.js';
import type { ImageSet } from '../image-set.js';
import { availabilityOf, checkCountsAvailable } from './check-available.js';

/** A subset of a dataset with chosen per-class counts. */
export interface ClassSample {
  /** Indices into the source set, ascending (order carries no randomness; the batch iterator shuffles). */
  readonly indices: Int32Array;
  /** Images taken per class, class 0 first (the results store records these). */
  readonly counts: readonly number[];
}

/** Which independent draw of the `sample` stream to use (the RNG step). */
export interface SampleOptions {
  /**
   * 0 (the default) for the pre-training subset. Subsets of one set drawn with
   * the same seed and draw are nested: each class takes a prefix of one random
   * order of its images, so a smaller count (a smaller n, a steeper r) keeps a
   * subset of the images a larger one took. Another draw gives an independent order.
   */
  readonly draw?: number;
}

/**
 * Draws `counts[c]` images of each class c without replacement, uniformly
 * (CounterRng stream `sample`, step = draw). Image i's rank within its class
 * comes from draw i of the stream, so the result depends only on the seed, the
 * draw and the set, not on the order of calls or on other classes' counts.
 * Throws naming the class when a count exceeds what the set holds of it.
 */
export function sampleLongTail(set: ImageSet, counts: readonly number[], seed: number, options: SampleOptions = {}): ClassSample {
  const { members, available } = classIndex(set);
  checkCountsAvailable(availabilityOf(set, available), counts);
  const rng = new CounterRng(seed, RNG_STREAMS.sample, options.draw ?? 0);
  const total = counts.reduce((a, b) => a + b, 0);
  const indices = new Int32Array(total);
  let filled = 0;
  for (let c = 0; c < counts.length; c++) {
    const want = counts[c]!;
    if (want === 0) continue;
    const pool = members[c]!;
    const keys = new Float64Array(pool.length);
    for (let k = 0; k < pool.length; k++) keys[k] = rng.uniform(pool[k]!);
    const order = Int32Array.from({ length: pool.length }, (_, k) => k).sort((a, b) => keys[a]! - keys[b]! || a - b);
    for (let k = 0; k < want; k++) indices[filled++] = pool[order[k]!]!;
  }
  indices.sort();
  return { indices, counts: [...counts] };
}

/**
 * A balanced subset: `perClass` images of every class (a few-shot probe set,
 * a balanced evaluation subset). Defaults to draw 1, independent of the
 * pre-training subset's draw 0; pass `{draw: 0}` to take the prefix the
 * pre-training subset took.
 */
export function sampleBalanced(set: ImageSet, perClass: number, seed: number, options: SampleOptions = {}): ClassSample {
  if (!Number.isInteger(perClass) || perClass < 0) throw new RangeError(`images per class must be a non-negative integer, got ${perClass}`);
  return sampleLongTail(set, new Array<number>(set.classes).fill(perClass), seed, { draw: options.draw ?? 1 });
}
