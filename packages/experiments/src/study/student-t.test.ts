import { describe, expect, it } from 'vitest';
import { regularizedBeta, studentTCdf, studentTQuantile } from './student-t.js';

describe("Student's t", () => {
  it('has the closed-form CDFs of 1 and 2 degrees of freedom (Cauchy; t / (2 sqrt(2 + t^2)))', () => {
    for (const t of [-30, -3.2, -0.7, 0, 0.4, 1, 2.5, 12, 400]) {
      expect(studentTCdf(t, 1)).toBeCloseTo(0.5 + Math.atan(t) / Math.PI, 13);
      expect(studentTCdf(t, 2)).toBeCloseTo(0.5 + t / (2 * Math.sqrt(2 + t * t)), 13);
    }
  });

  it('gives the 97.5% quantiles scipy.stats.t.ppf gives, and the normal one for large df', () => {
    // scipy 1.x, t.ppf(0.975, df), df = 1, 2, 4, 9, 29, 1000.
    const scipy: [number, number][] = [[1, 12.706204736174694], [2, 4.302652729749462], [4, 2.7764451051977934], [9, 2.262157162798205], [29, 2.045229642132703], [1000, 1.9623390808264083]];
    for (const [df, want] of scipy) expect(Math.abs(studentTQuantile(0.975, df) - want), `df ${df}`).toBeLessThan(1e-9 * want);
    expect(studentTQuantile(0.975, 1e7)).toBeCloseTo(1.959963984540054, 5);
    expect(studentTQuantile(0.025, 4)).toBeCloseTo(-studentTQuantile(0.975, 4), 12);
    expect(studentTQuantile(0.5, 3)).toBe(0);
  });

  it('is the inverse of its CDF, and refuses what has no quantile', () => {
    for (const df of [1, 2.5, 7]) for (const p of [0.6, 0.9, 0.995]) expect(studentTCdf(studentTQuantile(p, df), df)).toBeCloseTo(p, 12);
    expect(regularizedBeta(0.3, 2, 3)).toBeCloseTo(0.3483, 12); // I_0.3(2, 3) = 1 - sum_{j<2} C(4, j) 0.3^j 0.7^(4-j)
    expect(() => studentTQuantile(1, 3)).toThrow('studentTQuantile: p must be in (0, 1), got 1');
    expect(() => studentTQuantile(0.975, 0)).toThrow('studentTQuantile: degrees of freedom must be positive, got 0');
  });
});
