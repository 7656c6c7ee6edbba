import { describe, expect, it } from 'vitest';
import { cosineLr, multiStepLr } from './schedules.js';

describe('learning-rate schedules', () => {
  it('cosine decays from base to min, after a linear warm-up', () => {
    const o = { baseLr: 0.1, totalEpochs: 100 };
    expect(cosineLr(o, 0)).toBeCloseTo(0.1, 12);
    expect(cosineLr(o, 50)).toBeCloseTo(0.05, 12);
    expect(cosineLr(o, 100)).toBeCloseTo(0, 12);
    const w = { baseLr: 0.2, warmupEpochs: 10, totalEpochs: 110, minLr: 0.01 };
    expect(cosineLr(w, 5)).toBeCloseTo(0.1, 12);
    expect(cosineLr(w, 10)).toBeCloseTo(0.2, 12);
    expect(cosineLr(w, 60)).toBeCloseTo(0.105, 12);
    expect(cosineLr(w, 200)).toBeCloseTo(0.01, 12);
  });

  it('multi-step multiplies by gamma at each milestone (the linear probe: x0.1 at 60 and 80)', () => {
    const o = { baseLr: 30, milestones: [60, 80] };
    expect(multiStepLr(o, 59)).toBe(30);
    expect(multiStepLr(o, 60)).toBeCloseTo(3, 12);
    expect(multiStepLr(o, 85)).toBeCloseTo(0.3, 12);
    expect(multiStepLr({ ...o, gamma: 0.5 }, 80)).toBeCloseTo(7.5, 12);
  });
});
