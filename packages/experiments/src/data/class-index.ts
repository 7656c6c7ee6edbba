import type { ImageSet } from './image-set.js';

/** The images of each class, in dataset order: `members[c]` lists the indices whose label is c. */
export interface ClassIndex {
  readonly members: readonly Int32Array[];
  /** Images per class, `members[c].length`. */
  readonly available: readonly number[];
}

/** Groups a set's images by label; throws naming the first image whose label is outside [0, classes). */
export function classIndex(set: Pick<ImageSet, 'name' | 'count' | 'labels' | 'classes'>): ClassIndex {
  const available = new Array<number>(set.classes).fill(0);
  for (let i = 0; i < set.count; i++) {
    const label = set.labels[i]!;
    if (!(label >= 0 && label < set.classes)) throw new RangeError(`image ${i} of '${set.name}' has label ${label}, outside [0, ${set.classes})`);
    available[label]! += 1;
  }
  const members = available.map((n) => new Int32Array(n));
  const filled = new Array<number>(set.classes).fill(0);
  for (let i = 0; i < set.count; i++) {
    const label = set.labels[i]!;
    members[label]![filled[label]!++] = i;
  }
  return { members, available };
}

/** 'class 3' or "class 3 ('dress')" when the set names its classes. */
export function describeClass(set: Pick<ImageSet, 'classNames'>, label: number): string {
  const name = set.classNames?.[label];
  return name === undefined ? `class ${label}` : `class ${label} ('${name}')`;
}
