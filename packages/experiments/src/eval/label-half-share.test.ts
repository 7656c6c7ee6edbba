import { describe, expect, it } from 'vitest';
import { labelHalfShare, labelHalfShares } from './label-half-share.js';

describe('labelHalfShare', () => {
  it('is the mass on the label half over the whole map', () => {
    const map = [1, 2, 3, 0, 0, 1, 0, 5];
    // 2 x 4, columns 0-1 the left half: left 1 + 2 + 0 + 1 = 4, right 3 + 0 + 0 + 5 = 8
    expect(labelHalfShare(map, 2, 4, 0)).toBeCloseTo(4 / 12, 12);
    expect(labelHalfShare(map, 2, 4, 1)).toBeCloseTo(8 / 12, 12);
  });

  it('splits the middle column of an odd width evenly between the halves', () => {
    // 1 x 3: left 2 + 6/2 = 5, right 6/2 + 0 = 3
    expect(labelHalfShare([2, 6, 0], 1, 3, 0)).toBeCloseTo(5 / 8, 12);
    expect(labelHalfShare([0, 4, 0], 1, 3, 1)).toBe(0.5);
  });

  it('has no share for an all-zero map and refuses negative or NaN values', () => {
    expect(labelHalfShare([0, 0, 0, 0], 2, 2, 0)).toBeUndefined();
    expect(() => labelHalfShare([0, -1], 1, 2, 0)).toThrow("labelHalfShare: map value -1 at (0, 1) is not a non-negative number; pass a ReLU'd class-activation map");
    expect(() => labelHalfShare([Number.NaN, 1], 1, 2, 0)).toThrow(/NaN at \(0, 0\)/);
  });
});

describe('labelHalfShares', () => {
  it('averages each map against its own label half, leaving empty maps out and counting them', () => {
    const maps = [
      ...[3, 1], // left-heavy, label left: 0.75
      ...[1, 3], // label right: 0.75
      ...[0, 0], // empty
      ...[1, 1], // label left: 0.5
    ];
    const s = labelHalfShares(maps, 4, 1, 2, [0, 1, 0, 0]);
    expect(s.shares).toEqual([0.75, 0.75, undefined, 0.5]);
    expect(s.meanShare).toBeCloseTo((0.75 + 0.75 + 0.5) / 3, 12);
    expect([s.empty, s.count]).toEqual([1, 4]);
    expect(labelHalfShares([0, 0], 1, 1, 2, [1]).meanShare).toBeNaN();
  });

  it('checks the sizes and the halves', () => {
    expect(() => labelHalfShares([1, 2, 3], 2, 1, 2, [0, 0])).toThrow('labelHalfShares: 3 values are not 2 maps of 1 x 2');
    expect(() => labelHalfShares([1, 2], 1, 1, 2, [2])).toThrow('label half of map 0 is 2');
  });
});
