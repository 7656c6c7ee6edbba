import type { ImageSet } from '../../data/image-set.js';
import { buildSemiSynthetic, type SemiSyntheticSet } from '../../data/semi-synthetic/semi-synthetic.js';
import { compositeSize, type SemiSyntheticConfig } from './semi-synthetic-config.js';

/** The four composite sets of one seed, shared by every arm of that seed. */
export interface SemiSyntheticData {
  /** Pre-training: F x frequentCount frequent and R x rareCount rare composites (train split, draw 0). */
  readonly pretrain: SemiSyntheticSet;
  /** The rare-class probe's train set: probe.perClass rare composites per rare class, balanced (train split, draw 1). */
  readonly rareProbe: SemiSyntheticSet;
  /** The frequent-class probe's train set: probe.frequentPerClass frequent composites per class (train split, draw 2). */
  readonly frequentProbe: SemiSyntheticSet;
  /** Test: probe.testPerClass composites of every class, frequent and rare (test split, draw 3). */
  readonly test: SemiSyntheticSet;
}

/** Independent draws of one seed: each set takes its own images and partners. */
const DRAWS = { pretrain: 0, rareProbe: 1, frequentProbe: 2, test: 3 } as const;

/**
 * Builds the composites of a seed from the source's train and test splits.
 * Within a split the labelled images of a class are drawn without
 * replacement, so a count above what the split holds is an error naming the
 * class; the probe sets may reuse pre-training images (the paper's probe set
 * is drawn from the same train split).
 */
export function buildSemiSyntheticData(config: SemiSyntheticConfig, source: { readonly train: ImageSet; readonly test: ImageSet }, seed: number): SemiSyntheticData {
  const size = compositeSize(config, source.train.height, source.train.width);
  const base = { frequentSources: config.frequentSources, rareSources: config.rareSources, size, seed };
  return {
    pretrain: buildSemiSynthetic(source.train, { ...base, frequentCount: config.frequentCount, rareCount: config.rareCount, draw: DRAWS.pretrain }),
    rareProbe: buildSemiSynthetic(source.train, { ...base, frequentCount: 0, rareCount: config.probe.perClass, draw: DRAWS.rareProbe }),
    frequentProbe: buildSemiSynthetic(source.train, { ...base, frequentCount: config.probe.frequentPerClass, rareCount: 0, draw: DRAWS.frequentProbe }),
    test: buildSemiSynthetic(source.test, { ...base, frequentCount: config.probe.testPerClass, rareCount: config.probe.testPerClass, draw: DRAWS.test }),
  };
}

/**
 * The first `perClass` composites of each of `classes` in set order (the
 * builder's order within a class is already a seeded draw), grouped class by
 * class.
 */
export function firstOfEachClass(set: ImageSet, classes: readonly number[], perClass: number): Int32Array {
  const picked: number[] = [];
  for (const c of classes) {
    let taken = 0;
    for (let i = 0; i < set.count && taken < perClass; i++) {
      if (set.labels[i] === c) {
        picked.push(i);
        taken++;
      }
    }
    if (taken < perClass) throw new RangeError(`'${set.name}' holds ${taken} composites of class ${c}, fewer than the ${perClass} asked for`);
  }
  return Int32Array.from(picked);
}

/**
 * A set restricted to `indices` with labels shifted down by `offset` (the rare
 * classes F .. F+R-1 become 0 .. R-1) and `classes` classes: the
 * supervised-rare arm's pre-training set.
 */
export function relabeledSubset(set: ImageSet, indices: ArrayLike<number>, offset: number, classes: number, name: string): ImageSet {
  const size = set.channels * set.height * set.width;
  const pixels = new Uint8Array(indices.length * size);
  const labels = new Int32Array(indices.length);
  for (let k = 0; k < indices.length; k++) {
    const i = indices[k]!;
    const label = set.labels[i]! - offset;
    if (label < 0 || label >= classes) throw new RangeError(`composite ${i} of '${set.name}' has label ${set.labels[i]}, outside the ${classes} classes from ${offset}`);
    pixels.set(set.pixels.subarray(i * size, (i + 1) * size), k * size);
    labels[k] = label;
  }
  return {
    name,
    count: indices.length,
    channels: set.channels,
    height: set.height,
    width: set.width,
    pixels,
    labels,
    classes,
    ...(set.classNames ? { classNames: set.classNames.slice(offset, offset + classes) } : {}),
  };
}
