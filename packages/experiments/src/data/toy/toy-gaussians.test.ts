import { describe, expect, it } from 'vitest';
import { toyGaussians } from './toy-gaussians.js';

/** Mean and variance of coordinate j over the samples of `label`. */
function moments(data: ReturnType<typeof toyGaussians>, label: number, j: number): { mean: number; variance: number; n: number } {
  let n = 0;
  let sum = 0;
  let squares = 0;
  for (let k = 0; k < data.count; k++) {
    if (data.labels[k] !== label) continue;
    const v = data.features[k * data.dim + j]!;
    n++;
    sum += v;
    squares += v * v;
  }
  const mean = sum / n;
  return { mean, variance: squares / n - mean * mean, n };
}

describe('toyGaussians', () => {
  const spec = { dim: 6, tau: 2, rho: 0.5, counts: [4000, 4000, 4000] as [number, number, number], seed: 1 };
  const data = toyGaussians(spec);

  it('has the asked shape, class sizes and grouping', () => {
    expect(data.features.length).toBe(12000 * 6);
    expect([data.count, data.dim, data.classes]).toEqual([12000, 6, 3]);
    expect([...data.labels.subarray(3998, 4002)]).toEqual([0, 0, 1, 1]);
    expect(data.labels.filter((l) => l === 2).length).toBe(4000);
  });

  it('has the class means e1 - tau/2 e2, -e1 - tau/2 e2 and e2, and noise rho^2 off the signal', () => {
    // Standard error of a mean over 4000 samples: std / 63; allow 5 of them.
    const tol = (std: number) => (5 * std) / Math.sqrt(4000);
    const spreadE2 = Math.sqrt(spec.rho ** 2 + spec.tau ** 2 / 4);
    for (const [label, e1, e2] of [[0, 1, -1], [1, -1, -1], [2, 0, 1]] as const) {
      expect(Math.abs(moments(data, label, 0).mean - e1)).toBeLessThan(tol(spec.rho));
      expect(Math.abs(moments(data, label, 1).mean - e2)).toBeLessThan(tol(label === 2 ? spec.rho : spreadE2));
      for (let j = 2; j < 6; j++) {
        const m = moments(data, label, j);
        expect(Math.abs(m.mean)).toBeLessThan(tol(spec.rho));
        // Variance of a sample variance: 2 sigma^4 / n.
        expect(Math.abs(m.variance - spec.rho ** 2)).toBeLessThan(5 * spec.rho ** 2 * Math.sqrt(2 / 4000));
      }
    }
    // Along e2 the frequent classes mix q in {0, 1}: variance rho^2 + tau^2 / 4.
    expect(Math.abs(moments(data, 0, 1).variance - spreadE2 ** 2)).toBeLessThan(0.15);
    expect(Math.abs(moments(data, 2, 1).variance - spec.rho ** 2)).toBeLessThan(0.03);
  });

  it('draws q fairly and puts exactly -q tau on e2 (no noise: rho 0)', () => {
    const exact = toyGaussians({ ...spec, rho: 0, counts: [2000, 2000, 10] });
    let ones = 0;
    for (let k = 0; k < exact.count; k++) {
      // + 0 turns the -0 of rho * (negative draw) into 0.
      const row = Array.from(exact.features.subarray(k * 6, k * 6 + 6), (v) => v + 0);
      const label = exact.labels[k]!;
      if (label === 2) expect(row).toEqual([0, 1, 0, 0, 0, 0]);
      else {
        expect(row).toEqual([label === 0 ? 1 : -1, -exact.q[k]! * 2 + 0, 0, 0, 0, 0]);
        ones += exact.q[k]!;
      }
    }
    // Binomial(4000, 1/2): std 32.
    expect(Math.abs(ones - 2000)).toBeLessThan(160);
  });

  it('is deterministic for a seed and draw, and differs otherwise', () => {
    expect(toyGaussians(spec).features).toEqual(data.features);
    expect(toyGaussians({ ...spec, seed: 2 }).features).not.toEqual(data.features);
    expect(toyGaussians({ ...spec, draw: 1 }).features).not.toEqual(data.features);
  });

  it('refuses bad parameters, naming them', () => {
    expect(() => toyGaussians({ ...spec, dim: 1 })).toThrow(/dimension d must be an integer of at least 2/);
    expect(() => toyGaussians({ ...spec, rho: -1 })).toThrow(/rho \(noise std\) must be finite and >= 0/);
    expect(() => toyGaussians({ ...spec, counts: [1, -1, 2] })).toThrow(/three non-negative integers/);
  });
});
