import type { OpDef, OpDoc } from '../ir/op-def.js';
import { requireBool, normalizeAxes } from './checks.js';

export type ReduceAttrs = {
  /** Axes to reduce; negative counts from the end; non-empty, distinct. Normal form: sorted, non-negative. */
  readonly axes: readonly number[];
  /** Keep reduced axes as size 1. */
  readonly keepDims: boolean;
};

export const REDUCE_ATTR_DOCS = {
  axes: 'non-empty list of distinct axes to reduce, negative counts from the end (normal form: sorted, non-negative)',
  keepDims: 'true keeps each reduced axis with size 1; false drops it',
};

/** The output shape of a reduction over `axes`. */
export function reducedShape(shape: readonly number[], axes: readonly number[], keepDims: boolean): number[] {
  return keepDims ? shape.map((d, i) => (axes.includes(i) ? 1 : d)) : shape.filter((_, i) => !axes.includes(i));
}

/** A reduction over listed axes, output in the input's dtype. */
export function defineReduce(name: string, doc: Omit<OpDoc, 'attrs' | 'shape'>): OpDef<ReduceAttrs> {
  return {
    name,
    inputs: ['x'],
    doc: { ...doc, attrs: REDUCE_ATTR_DOCS, shape: 'dtype of x; shape of x with each reduced axis dropped (or 1 with keepDims)' },
    infer([x], attrs, fail) {
      const axes = normalizeAxes(attrs.axes, x!.shape.length, 'axes', fail);
      const keepDims = requireBool(attrs.keepDims, 'keepDims', fail);
      if (name === 'reduceMax' && axes.some((a) => x!.shape[a] === 0)) fail(`cannot take the maximum over an empty axis`);
      return { type: { dtype: x!.dtype, shape: reducedShape(x!.shape, axes, keepDims) }, attrs: { axes, keepDims } };
    },
  };
}
