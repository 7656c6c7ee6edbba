import { describe, expect, it } from 'vitest';
import { toyGaussians } from '../../data/toy/toy-gaussians.js';
import { e2Measures, predictedSslE2Ratio, toyBasis } from './toy-measures.js';

const dot = (a: ArrayLike<number>, b: ArrayLike<number>): number => Array.from(a).reduce((s, v, i) => s + v * b[i]!, 0);

describe('toy measures', () => {
  it("measure along the generator's own e1 and e2, which are orthonormal", () => {
    const { e1, e2 } = toyBasis(6);
    expect([dot(e1, e1), dot(e2, e2), dot(e1, e2)]).toEqual([1, 1, 0]);
    // Without noise the generator puts class 0 at e1 - q tau e2, class 1 at -e1 - q tau e2, class 2 at e2.
    const data = toyGaussians({ dim: 6, tau: 2, rho: 0, counts: [3, 3, 2], seed: 4 });
    const row = (k: number): Float32Array => data.features.subarray(k * 6, k * 6 + 6);
    for (let k = 0; k < data.count; k++) {
      const label = data.labels[k]!;
      const expected = Array.from({ length: 6 }, (_, j) => (label === 2 ? e2[j]! : (label === 0 ? 1 : -1) * e1[j]! - data.q[k]! * 2 * e2[j]!));
      expect(Array.from(row(k), (v) => v + 0)).toEqual(expected.map((v) => v + 0));
    }
  });

  it('computes ||W e1||, ||W e2||, their ratio and e2 share of ||W||_F^2 on hand cases', () => {
    // W = [[1, 0, 0], [0, 2, 0]]: e1 -> (1, 0), e2 -> (0, 2); ||W||_F^2 = 5.
    expect(e2Measures([1, 0, 0, 0, 2, 0], 2, 3)).toEqual({ e1Norm: 1, e2Norm: 2, e2Ratio: 2, e2Share: 4 / 5 });
    // One row (3, 4, 12): e1 -> 3, e2 -> 4; ||W||_F^2 = 169.
    const m = e2Measures([3, 4, 12], 1, 3);
    expect([m.e1Norm, m.e2Norm, m.e2Ratio, m.e2Share]).toEqual([3, 4, 4 / 3, 16 / 169]);
    expect(() => e2Measures([1, 2, 3], 2, 3)).toThrow(/m x d = 2 x 3 = 6 values, got 3/);
  });

  it("predicts SSL's e2 ratio from the training mix's second moment (checked on a large sample)", () => {
    const spec = { dim: 4, tau: 2, rho: 0.3, counts: [40000, 40000, 2000] as [number, number, number], seed: 9 };
    const data = toyGaussians(spec);
    let e1 = 0;
    let e2 = 0;
    let cross = 0;
    for (let k = 0; k < data.count; k++) {
      const [a, b] = [data.features[k * 4]!, data.features[k * 4 + 1]!];
      e1 += (a * a) / data.count;
      e2 += (b * b) / data.count;
      cross += (a * b) / data.count;
    }
    // e1 and e2 are (close to) eigenvectors: the frequent classes' cross moments cancel.
    expect(Math.abs(cross)).toBeLessThan(0.02);
    expect(predictedSslE2Ratio(spec, spec.counts)).toBeCloseTo(Math.sqrt(e2 / e1), 2);
    expect(() => predictedSslE2Ratio(spec, [10, 20, 1])).toThrow(/equal size/);
  });
});
