import type { ToyConfig } from './toy-config.js';

/**
 * The generator's signal directions (data/toy/toy-gaussians.ts): e1 and e2 are
 * the first two standard basis vectors of R^d.
 */
export function toyBasis(dim: number): { readonly e1: Float64Array; readonly e2: Float64Array } {
  if (!Number.isInteger(dim) || dim < 2) throw new RangeError(`toy basis: dimension d must be an integer of at least 2, got ${dim}`);
  const e1 = new Float64Array(dim);
  const e2 = new Float64Array(dim);
  e1[0] = 1;
  e2[1] = 1;
  return { e1, e2 };
}

/** How much of e1 and e2 a representation W keeps. */
export interface E2Measures {
  /** ||W e1||: the frequent classes' label direction, which both arms need. */
  readonly e1Norm: number;
  /** ||W e2||: the direction only the rare class needs for its label. */
  readonly e2Norm: number;
  /**
   * ||W e2|| / ||W e1||: e2 against the feature both arms must learn. The
   * paper's claim is that SSL keeps e2 (the frequent classes vary along it, so
   * it carries their variance) while SL drops it as the rare class vanishes
   * (the labels of the frequent classes never need it, and the few rare
   * examples are cheaper to memorise through their noise). Scale-free, so
   * SL's W (scaled by the margin) and SSL's W (scaled by its regulariser)
   * compare; at SSL's optimum it is predicted by predictedSslE2Ratio.
   */
  readonly e2Ratio: number;
  /**
   * ||W e2||^2 / ||W||_F^2 = e2^T W^T W e2 / tr(W^T W): the share of W's energy
   * along e2, i.e. how much of the representation is e2, whatever else fills it.
   */
  readonly e2Share: number;
}

/** The measures of W [m, d], row-major. */
export function e2Measures(weight: ArrayLike<number>, width: number, dim: number): E2Measures {
  if (weight.length !== width * dim) throw new RangeError(`toy W must hold m x d = ${width} x ${dim} = ${width * dim} values, got ${weight.length}`);
  const { e1, e2 } = toyBasis(dim);
  let total = 0;
  for (let i = 0; i < weight.length; i++) total += weight[i]! ** 2;
  const normAlong = (v: Float64Array): number => {
    let squares = 0;
    for (let row = 0; row < width; row++) {
      let dot = 0;
      for (let j = 0; j < dim; j++) dot += weight[row * dim + j]! * v[j]!;
      squares += dot * dot;
    }
    return Math.sqrt(squares);
  };
  const e1Norm = normAlong(e1);
  const e2Norm = normAlong(e2);
  return { e1Norm, e2Norm, e2Ratio: e2Norm / e1Norm, e2Share: total > 0 ? (e2Norm * e2Norm) / total : 0 };
}

/**
 * ||W e2|| / ||W e1|| at the SSL objective's optimum, W^T W = the top-m part of
 * the training mix's second moment (toy-losses.ts). With frequent classes of
 * equal size (their e1-e2 cross moments -tau/2 and +tau/2 cancel) and shares
 * p = 2N / n, p3 = n3 / n:
 *   E[x x^T] = rho^2 I + p (e1 e1^T + tau^2 / 2 e2 e2^T) + p3 e2 e2^T,
 * so e1 and e2 are eigenvectors with eigenvalues rho^2 + p and
 * rho^2 + p tau^2 / 2 + p3, and ||W e_i||^2 is that eigenvalue when it is among
 * the top m (m >= 2, both above the noise). Almost all of it comes from the
 * frequent classes: SSL's e2 hardly depends on r.
 */
export function predictedSslE2Ratio(config: Pick<ToyConfig, 'tau' | 'rho'>, counts: readonly [number, number, number]): number {
  const [a, b, rare] = counts;
  if (a !== b) throw new RangeError(`predicted SSL e2 ratio assumes frequent classes of equal size, got ${a} and ${b}`);
  const n = a + b + rare;
  const p = (a + b) / n;
  const rho2 = config.rho ** 2;
  return Math.sqrt((rho2 + (p * config.tau ** 2) / 2 + rare / n) / (rho2 + p));
}
