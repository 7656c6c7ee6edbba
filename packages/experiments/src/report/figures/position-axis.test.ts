import { describe, expect, it } from 'vitest';
import { positionAxis } from './position-axis.js';

describe('positionAxis', () => {
  it('uses a log scale when the values span a decade, linear otherwise, with ticks at the values run', () => {
    const log = positionAxis([5000, 500, 1000, 2000, 500]);
    expect(log.log).toBe(true);
    expect(log.ticks).toEqual([500, 1000, 2000, 5000]);
    expect(positionAxis([500, 4000]).log).toBe(false); // 8x: under a decade
    const linear = positionAxis([1000, 2000]);
    expect(linear.log).toBe(false);
    for (const axis of [log, linear]) {
      expect(axis.domain[0]).toBeLessThan(axis.ticks[0]!);
      expect(axis.domain[1]).toBeGreaterThan(axis.ticks[axis.ticks.length - 1]!);
    }
  });

  it('nudges series symmetrically around the true value, in order, and keeps them inside the domain', () => {
    for (const axis of [positionAxis([500, 8000]), positionAxis([1000, 2000]), positionAxis([1000])]) {
      const at = axis.ticks[0]!;
      const placed = [0, 1, 2, 3].map((i) => axis.place(at, i, 4));
      expect([...placed].sort((a, b) => a - b)).toEqual(placed);
      expect(placed[0]).toBeLessThan(at);
      expect(placed[3]).toBeGreaterThan(at);
      expect(axis.place(at, 0, 1)).toBeCloseTo(at, 9);
      expect(placed[0]).toBeGreaterThan(axis.domain[0]);
    }
  });
});
