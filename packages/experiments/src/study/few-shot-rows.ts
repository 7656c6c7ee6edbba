import { CounterRng, RNG_STREAMS } from '@ltssl/core';

/**
 * Which draw of the `sample` stream picks the few-shot sets: 0 is the
 * pre-training subset and the probe's balanced split, 1 sampleBalanced's
 * default, so 2 is independent of both.
 */
export const FEW_SHOT_DRAW = 2;

/**
 * The labelled rows of a few-shot probe: `shots` rows of each class among the
 * probe's train rows, drawn by the seed. Each row's rank within its class is
 * draw `images[row]` of CounterRng(seed, sample, FEW_SHOT_DRAW), keyed by the
 * image's index in its set, so the set depends only on the seed and the
 * images: every method of a seed gets the same one (what the paired verdict
 * needs), and a smaller `shots` takes a subset of a larger one's. Rows come
 * back ascending. A class with fewer than `shots` rows gives all it has.
 *
 * @param labels the class of each row [rows]
 * @param images each row's image index in its set [rows]
 */
export function fewShotRows(labels: ArrayLike<number>, images: ArrayLike<number>, shots: number, seed: number): number[] {
  if (labels.length !== images.length) throw new Error(`fewShotRows: ${labels.length} labels but ${images.length} image indices; give one of each per row`);
  const rng = new CounterRng(seed, RNG_STREAMS.sample, FEW_SHOT_DRAW);
  const byClass = new Map<number, { row: number; key: number }[]>();
  for (let row = 0; row < labels.length; row++) {
    const members = byClass.get(labels[row]!) ?? [];
    members.push({ row, key: rng.uniform(images[row]!) });
    byClass.set(labels[row]!, members);
  }
  return [...byClass.values()].flatMap((members) => members.sort((a, b) => a.key - b.key || a.row - b.row).slice(0, shots).map((m) => m.row)).sort((a, b) => a - b);
}
