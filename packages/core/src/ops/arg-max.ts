import type { OpDef } from '../ir/op-def.js';
import { normalizeAxis, requireBool } from './checks.js';

export type ArgMaxAttrs = {
  readonly axis: number;
  readonly keepDims: boolean;
};

/** Index of the maximum along one axis: top-1 predictions. */
export const argMax: OpDef<ArgMaxAttrs> = {
  name: 'argMax',
  inputs: ['x'],
  doc: {
    summary: 'Index of the largest element along one axis; the first one on ties.',
    attrs: { axis: 'the axis to search, negative counts from the end', keepDims: 'true keeps the axis with size 1' },
    shape: 'int32; shape of x with the axis dropped (or 1 with keepDims)',
    vjp: 'not differentiable: integer output',
  },
  infer([x], attrs, fail) {
    const axis = normalizeAxis(attrs.axis, x!.shape.length, 'axis', fail);
    const keepDims = requireBool(attrs.keepDims, 'keepDims', fail);
    if (x!.shape[axis] === 0) fail(`cannot take argMax over an empty axis ${axis}`);
    const shape = keepDims ? x!.shape.map((d, i) => (i === axis ? 1 : d)) : x!.shape.filter((_, i) => i !== axis);
    return { type: { dtype: 'int32', shape }, attrs: { axis, keepDims } };
  },
};
