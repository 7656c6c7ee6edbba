import type { OpDef } from '../ir/op-def.js';
import { formatShape } from '../ir/shape.js';
import { requireIntArray } from './checks.js';

export type SliceAttrs = {
  /** Start index per axis, >= 0. */
  readonly begin: readonly number[];
  /** Length per axis, >= 0. */
  readonly size: readonly number[];
};

/** A static box of x, unit stride: MoCo's queue[0 : K-B] and the views of a concatenated batch. */
export const slice: OpDef<SliceAttrs> = {
  name: 'slice',
  inputs: ['x'],
  doc: {
    summary: 'The box x[begin[0] : begin[0]+size[0], ...], unit stride.',
    attrs: { begin: 'start per axis, one per axis, >= 0', size: 'length per axis, one per axis, >= 0, begin + size <= shape(x)' },
    shape: 'dtype of x; shape = size',
    vjp: 'gx = pad(g, pads[i] = [begin[i], shape(x)[i] - begin[i] - size[i]])',
  },
  infer([x], attrs, fail) {
    const rank = x!.shape.length;
    const begin = requireIntArray(attrs.begin, 'begin', fail, rank, 0);
    const size = requireIntArray(attrs.size, 'size', fail, rank, 0);
    const bad = begin.findIndex((b, i) => b + size[i]! > x!.shape[i]!);
    if (bad >= 0) {
      fail(`axis ${bad}: begin ${begin[bad]} + size ${size[bad]} exceeds ${x!.shape[bad]} (x is ${formatShape(x!.shape)})`);
    }
    return { type: { dtype: x!.dtype, shape: size }, attrs: { begin, size } };
  },
};
