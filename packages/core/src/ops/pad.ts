import type { OpDef } from '../ir/op-def.js';
import { requireIntArray } from './checks.js';

export type PadAttrs = {
  /** [before, after] zeros per axis. */
  readonly pads: readonly (readonly number[])[];
};

/** Zero padding on every axis: slice's VJP. */
export const pad: OpDef<PadAttrs> = {
  name: 'pad',
  inputs: ['x'],
  doc: {
    summary: 'Pads x with zeros: pads[i] = [before, after] elements on axis i.',
    attrs: { pads: 'one [before, after] pair of non-negative integers per axis' },
    shape: 'dtype of x; shape[i] = shape(x)[i] + before[i] + after[i]',
    vjp: 'gx = slice(g, begin = before, size = shape(x))',
  },
  infer([x], attrs, fail) {
    const rank = x!.shape.length;
    if (!Array.isArray(attrs.pads) || attrs.pads.length !== rank) {
      fail(`attribute 'pads' must hold one [before, after] pair per axis (${rank}), got ${JSON.stringify(attrs.pads)}`);
    }
    const pads = attrs.pads.map((p, i) => requireIntArray(p, `pads[${i}]`, fail, 2, 0));
    return { type: { dtype: x!.dtype, shape: x!.shape.map((d, i) => d + pads[i]![0]! + pads[i]![1]!) }, attrs: { pads } };
  },
};
