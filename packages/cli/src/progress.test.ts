import { describe, expect, it } from 'vitest';
import { bar, eta, formatDuration } from './progress.js';

describe('progress formatting', () => {
  it('formats durations without a 60 in the seconds', () => {
    expect(formatDuration(12.34)).toBe('12.3 s');
    expect(formatDuration(59.96)).toBe('1m00s');
    expect(formatDuration(959.6)).toBe('16m00s');
    expect(formatDuration(3725)).toBe('1h02m');
    expect(formatDuration(Number.NaN)).toBe('?');
  });

  it('estimates the remaining time from the mean so far, and draws bars', () => {
    expect(eta([10, 20], 3)).toBe('45.0 s');
    expect(eta([], 3)).toBe('?');
    expect(bar(5, 10, 10)).toBe('[#####-----]');
    expect(bar(0, 0, 4)).toBe('[----]');
  });
});
