import { describe, expect, it } from 'vitest';
import { broadcastAxes, broadcastShapes, broadcastsTo, sizeOf, stridesOf } from './shape.js';

describe('shapes', () => {
  it('broadcasts by NumPy rules, aligned from the right', () => {
    expect(broadcastShapes([2, 1, 4], [3, 1])).toEqual([2, 3, 4]);
    expect(broadcastShapes([], [2, 3])).toEqual([2, 3]);
    expect(broadcastShapes([2, 3], [3, 2])).toBeUndefined();
  });

  it('lists the axes a gradient must be summed over', () => {
    expect(broadcastAxes([3, 1], [2, 3, 4])).toEqual([0, 2]);
    expect(broadcastAxes([1, 3, 1, 1], [2, 3, 4, 4])).toEqual([0, 2, 3]);
    expect(broadcastAxes([2, 3], [2, 3])).toEqual([]);
  });

  it('checks one-way broadcasting', () => {
    expect(broadcastsTo([1, 4], [3, 4])).toBe(true);
    expect(broadcastsTo([3, 4], [1, 4])).toBe(false);
    expect(broadcastsTo([2, 3, 4], [3, 4])).toBe(false);
  });

  it('computes sizes and row-major strides, scalars included', () => {
    expect(sizeOf([])).toBe(1);
    expect(sizeOf([2, 0, 3])).toBe(0);
    expect(stridesOf([2, 3, 4])).toEqual([12, 4, 1]);
    expect(stridesOf([])).toEqual([]);
  });
});
