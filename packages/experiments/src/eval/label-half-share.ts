/** Which half of a side-by-side composite carries its label (SEMI_SYNTHETIC_HALF's values). */
export type Half = 0 | 1;

/**
 * The share of a class-activation map's mass on one half of the image:
 * mass(label half) / mass(whole map), for one map [height, width] row-major
 * (non-negative, as Grad-CAM's ReLU leaves it). Columns [0, W/2) are the left
 * half and [W/2, W) the right; with an odd width the middle column straddles
 * the seam and counts half to each. Undefined when the map is all zero (no
 * evidence anywhere: no share to speak of).
 */
export function labelHalfShare(map: ArrayLike<number>, height: number, width: number, labelHalf: Half, offset = 0): number | undefined {
  let left = 0;
  let right = 0;
  const middle = width % 2 === 1 ? (width - 1) / 2 : -1;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const v = map[offset + y * width + x]!;
      if (!(v >= 0)) throw new RangeError(`labelHalfShare: map value ${v} at (${y}, ${x}) is not a non-negative number; pass a ReLU'd class-activation map`);
      if (x === middle) {
        left += v / 2;
        right += v / 2;
      } else if (2 * x < width) left += v;
      else right += v;
    }
  }
  const total = left + right;
  if (total === 0) return undefined;
  return (labelHalf === 0 ? left : right) / total;
}

/** The label-half shares of a batch of maps, summarised. */
export interface LabelHalfSummary {
  /** Mean over the maps with any mass of their label-half share, in [0, 1]; NaN when no map has mass. */
  readonly meanShare: number;
  /** Maps that were all zero, left out of the mean. */
  readonly empty: number;
  readonly count: number;
  /** Each map's share (undefined for an empty map), in input order. */
  readonly shares: readonly (number | undefined)[];
}

/** labelHalfShare of maps[i] ([count, height, width]) with its own label half halves[i]. */
export function labelHalfShares(maps: ArrayLike<number>, count: number, height: number, width: number, halves: ArrayLike<number>): LabelHalfSummary {
  if (maps.length !== count * height * width) throw new RangeError(`labelHalfShares: ${maps.length} values are not ${count} maps of ${height} x ${width}`);
  if (halves.length !== count) throw new RangeError(`labelHalfShares: ${halves.length} label halves for ${count} maps`);
  const shares: (number | undefined)[] = [];
  let sum = 0;
  let empty = 0;
  for (let i = 0; i < count; i++) {
    const half = halves[i];
    if (half !== 0 && half !== 1) throw new RangeError(`labelHalfShares: label half of map ${i} is ${half}; it must be 0 (left) or 1 (right)`);
    const share = labelHalfShare(maps, height, width, half, i * height * width);
    shares.push(share);
    if (share === undefined) empty++;
    else sum += share;
  }
  return { meanShare: count > empty ? sum / (count - empty) : Number.NaN, empty, count, shares };
}
