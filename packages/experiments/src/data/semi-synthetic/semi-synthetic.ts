import { CounterRng, hashName, RNG_STREAMS } from '@ltssl/core';
import { classIndex } from '../class-index.js';
import { imageSize, type ImageSet } from '../image-set.js';
import { checkCountsAvailable, availabilityOf } from '../long-tail/check-available.js';
import { AreaResizer } from '../resize-area.js';

/** Which half of a composite image carries its label. */
export const SEMI_SYNTHETIC_HALF = { left: 0, right: 1 } as const;

/**
 * docs/paper.md's semi-synthetic study. Composite images are two halves side by
 * side, each a whole source image resized to height x width/2:
 * - frequent class j: [an image of source class frequentSources[j] | a random
 *   image of any rare source class] (the left half carries the label, the right
 *   is label-irrelevant but holds rare-class features);
 * - rare class j: [blank | an image of source class rareSources[j]].
 * Labels: frequent classes 0 .. F-1, then rare classes F .. F+R-1.
 * Paper (CIFAR-10): sources 0-4 frequent at 5000 each, 5-9 rare at 10 each
 * (r = 0.002); the probe trains on 5000 of each rare class (frequentCount 0)
 * and tests on the rare classes of the test split. Augment it without
 * horizontal flip, which would swap the halves.
 */
export interface SemiSyntheticSpec {
  /** Source classes of the frequent classes, in label order (paper: 0-4). */
  readonly frequentSources: readonly number[];
  /** Source classes of the rare classes, in label order (paper: 5-9). */
  readonly rareSources: readonly number[];
  /** Composites per frequent class (paper: 5000; 0 for a rare-only probe set). */
  readonly frequentCount: number;
  /** Composites per rare class (paper: 10 for pre-training, 5000 for the probe). */
  readonly rareCount: number;
  /** Output [height, width], width even; the source's size when absent (CIFAR: 32 x 32, halves 32 x 16). */
  readonly size?: readonly [number, number];
  /** Value of every pixel of the blank half (default 0, black). */
  readonly blank?: number;
  readonly seed: number;
  /** Independent draws from one seed (pre-training set 0, probe set 1, ...); default 0. */
  readonly draw?: number;
}

export interface SemiSyntheticSet {
  readonly set: ImageSet;
  /** Per composite: SEMI_SYNTHETIC_HALF.left (frequent classes) or SEMI_SYNTHETIC_HALF.right (rare classes) carries the label. */
  readonly labelHalf: Uint8Array;
  /** Per composite: the source image in the left half, -1 when blank. */
  readonly leftSource: Int32Array;
  /** Per composite: the source image in the right half. */
  readonly rightSource: Int32Array;
  /** Labels of the frequent classes (0 .. F-1) and of the rare classes (F .. F+R-1). */
  readonly frequentClasses: readonly number[];
  readonly rareClasses: readonly number[];
}

function checkSpec(source: ImageSet, spec: SemiSyntheticSpec): void {
  const all = [...spec.frequentSources, ...spec.rareSources];
  for (const c of all) if (!Number.isInteger(c) || c < 0 || c >= source.classes) throw new RangeError(`semi-synthetic source class ${c} is not a class of '${source.name}' (0 .. ${source.classes - 1})`);
  if (new Set(all).size !== all.length) throw new RangeError(`semi-synthetic frequent and rare source classes must be distinct, got [${spec.frequentSources.join(', ')}] and [${spec.rareSources.join(', ')}]`);
  if (spec.rareSources.length === 0) throw new RangeError('semi-synthetic set needs at least one rare source class');
  for (const [name, n] of [['frequentCount', spec.frequentCount], ['rareCount', spec.rareCount]] as const) {
    if (!Number.isInteger(n) || n < 0) throw new RangeError(`semi-synthetic ${name} must be a non-negative integer, got ${n}`);
  }
  const [height, width] = spec.size ?? [source.height, source.width];
  if (!(Number.isInteger(height) && height > 0 && Number.isInteger(width) && width >= 2 && width % 2 === 0)) {
    throw new RangeError(`semi-synthetic output size must be a positive height and an even width (two halves), got [${height}, ${width}]`);
  }
  const blank = spec.blank ?? 0;
  if (!Number.isInteger(blank) || blank < 0 || blank > 255) throw new RangeError(`semi-synthetic blank value must be an integer in [0, 255], got ${blank}`);
}

/** The first `count` images of `pool` in a random order keyed by image index (so draws never depend on other classes). */
function choose(pool: Int32Array, count: number, rng: CounterRng): Int32Array {
  const keys = new Float64Array(pool.length);
  for (let k = 0; k < pool.length; k++) keys[k] = rng.uniform(pool[k]!);
  const order = Int32Array.from({ length: pool.length }, (_, k) => k).sort((a, b) => keys[a]! - keys[b]! || a - b);
  return Int32Array.from({ length: count }, (_, k) => pool[order[k]!]!);
}

/**
 * Builds the semi-synthetic set from a labelled source set. The labelled
 * images of each class are drawn without replacement (so a count above what
 * the source holds of a class is an error naming it); each frequent composite's
 * right half is drawn uniformly, with replacement, from all images of the rare
 * source classes. Seeded: CounterRng stream `data`, steps hashed from
 * 'semi-synthetic/<draw>/...'.
 */
export function buildSemiSynthetic(source: ImageSet, spec: SemiSyntheticSpec): SemiSyntheticSet {
  checkSpec(source, spec);
  const [height, width] = spec.size ?? [source.height, source.width];
  const half = width / 2;
  const draw = spec.draw ?? 0;
  const F = spec.frequentSources.length;
  const R = spec.rareSources.length;
  const { members, available } = classIndex(source);
  const wanted = new Array<number>(source.classes).fill(0);
  for (const c of spec.frequentSources) wanted[c] = spec.frequentCount;
  for (const c of spec.rareSources) wanted[c] = spec.rareCount;
  checkCountsAvailable(availabilityOf(source, available), wanted, `semi-synthetic set from '${source.name}': `, 'lower the counts of the semi-synthetic set');

  const chooseRng = new CounterRng(spec.seed, RNG_STREAMS.data, hashName(`semi-synthetic/${draw}/choose`));
  const partnerRng = new CounterRng(spec.seed, RNG_STREAMS.data, hashName(`semi-synthetic/${draw}/partner`));
  const rarePool = Int32Array.from(spec.rareSources.flatMap((c) => [...members[c]!]));
  if (spec.frequentCount > 0 && rarePool.length === 0) throw new RangeError(`'${source.name}' holds no image of the rare source classes to fill the frequent composites' right halves`);

  const count = F * spec.frequentCount + R * spec.rareCount;
  const labels = new Int32Array(count);
  const labelHalf = new Uint8Array(count);
  const leftSource = new Int32Array(count);
  const rightSource = new Int32Array(count);
  let k = 0;
  spec.frequentSources.forEach((c, j) => {
    for (const image of choose(members[c]!, spec.frequentCount, chooseRng)) {
      labels[k] = j;
      labelHalf[k] = SEMI_SYNTHETIC_HALF.left;
      leftSource[k] = image;
      rightSource[k] = rarePool[partnerRng.int(k, rarePool.length)]!;
      k++;
    }
  });
  spec.rareSources.forEach((c, j) => {
    for (const image of choose(members[c]!, spec.rareCount, chooseRng)) {
      labels[k] = F + j;
      labelHalf[k] = SEMI_SYNTHETIC_HALF.right;
      leftSource[k] = -1;
      rightSource[k] = image;
      k++;
    }
  });

  const channels = source.channels;
  const pixels = new Uint8Array(count * channels * height * width);
  const resizer = new AreaResizer(channels, source.height, source.width, height, half);
  const halfImage = new Uint8Array(channels * height * half);
  const srcSize = imageSize(source);
  const blank = spec.blank ?? 0;
  const place = (image: number, offset: number, column: number): void => {
    if (image < 0) halfImage.fill(blank);
    else resizer.resize(source.pixels, image * srcSize, halfImage, 0);
    for (let row = 0; row < channels * height; row++) pixels.set(halfImage.subarray(row * half, (row + 1) * half), offset + row * width + column);
  };
  for (let i = 0; i < count; i++) {
    const offset = i * channels * height * width;
    place(leftSource[i]!, offset, 0);
    place(rightSource[i]!, offset, half);
  }
  const name = (c: number): string => source.classNames?.[c] ?? `class ${c}`;
  return {
    set: {
      name: `semi-synthetic(${source.name}, draw ${draw})`,
      count,
      channels,
      height,
      width,
      pixels,
      labels,
      classes: F + R,
      classNames: [...spec.frequentSources.map((c) => `frequent ${name(c)}`), ...spec.rareSources.map((c) => `rare ${name(c)}`)],
    },
    labelHalf,
    leftSource,
    rightSource,
    frequentClasses: spec.frequentSources.map((_, j) => j),
    rareClasses: spec.rareSources.map((_, j) => F + j),
  };
}
