import { describe, expect, it } from 'vitest';
import { bar, eta, formatDuration } from './progress.js';
import { DURATION } from './test-io.js';

describe('progress formatting', () => {
  it('formats durations without a 60 in the seconds', () => {
    expect(formatDuration(12.34)).toBe('12.3 s');
    expect(formatDuration(59.96)).toBe('1m00s');
    expect(formatDuration(959.6)).toBe('16m00s');
    expect(formatDuration(3725)).toBe('1h02m');
    expect(formatDuration(Number.NaN)).toBe('?');
  });

  it('has a test pattern that accepts every form, so no test depends on the machine\'s speed', () => {
    const whole = new RegExp(`^${DURATION}$`);
    for (const s of [0.04, 12.34, 59.2, 59.96, 65, 959.6, 3725, 200_000, Number.NaN]) expect(formatDuration(s)).toMatch(whole);
    expect('59.2s').not.toMatch(whole);
  });

  it('estimates the remaining time from the mean so far, and draws bars', () => {
    expect(eta([10, 20], 3)).toBe('45.0 s');
    expect(eta([], 3)).toBe('?');
    expect(bar(5, 10, 10)).toBe('[#####-----]');
    expect(bar(0, 0, 4)).toBe('[----]');
  });
});
