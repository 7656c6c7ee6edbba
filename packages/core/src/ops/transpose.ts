import type { OpDef } from '../ir/op-def.js';
import { requireIntArray } from './checks.js';

export type TransposeAttrs = {
  /** Output axis i is input axis perm[i]. */
  readonly perm: readonly number[];
};

/** Permutes axes: output axis i is input axis perm[i]. */
export const transpose: OpDef<TransposeAttrs> = {
  name: 'transpose',
  inputs: ['x'],
  doc: {
    summary: 'Axis permutation: y[i_perm0, i_perm1, ...] = x[i0, i1, ...], output axis k is input axis perm[k].',
    attrs: { perm: 'a permutation of 0..rank-1' },
    shape: 'dtype of x; shape[k] = shape(x)[perm[k]]',
    vjp: 'gx = transpose(g, inverse(perm))',
  },
  infer([x], attrs, fail) {
    const rank = x!.shape.length;
    const perm = requireIntArray(attrs.perm, 'perm', fail, rank, 0);
    if (!perm.every((p) => p < rank) || new Set(perm).size !== rank) {
      fail(`attribute 'perm' ${JSON.stringify(perm)} is not a permutation of 0..${rank - 1}`);
    }
    return { type: { dtype: x!.dtype, shape: perm.map((p) => x!.shape[p]!) }, attrs: { perm } };
  },
};

export function inversePermutation(perm: readonly number[]): number[] {
  const inverse = new Array<number>(perm.length);
  perm.forEach((p, i) => (inverse[p] = i));
  return inverse;
}
