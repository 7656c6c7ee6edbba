import type { OpDef } from '../ir/op-def.js';
import { formatShape } from '../ir/shape.js';
import { normalizeAxis, requireSameDType } from './checks.js';

export type ConcatAttrs = {
  readonly axis: number;
};

/** Joins tensors along one axis: two views into one batch, MoCo's queue update. */
export const concat: OpDef<ConcatAttrs> = {
  name: 'concat',
  inputs: ['...xs'],
  doc: {
    summary: 'Joins one or more tensors along an axis, in order.',
    attrs: { axis: 'the axis to join along, negative counts from the end' },
    shape: 'the shared dtype; shape of the inputs, which agree off the axis, with the axis dims summed',
    vjp: 'gx_k = slice(g) of x_k\'s extent along the axis',
  },
  infer(inputs, attrs, fail) {
    const dtype = requireSameDType(inputs, fail);
    const first = inputs[0]!.shape;
    const axis = normalizeAxis(attrs.axis, first.length, 'axis', fail);
    const bad = inputs.findIndex((t) => t.shape.length !== first.length || t.shape.some((d, i) => i !== axis && d !== first[i]));
    if (bad >= 0) {
      fail(`input ${bad} has shape ${formatShape(inputs[bad]!.shape)}, which differs from ${formatShape(first)} off axis ${axis}`);
    }
    const shape = first.map((d, i) => (i === axis ? inputs.reduce((s, t) => s + t.shape[i]!, 0) : d));
    return { type: { dtype, shape }, attrs: { axis } };
  },
};
