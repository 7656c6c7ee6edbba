import type { OpDef } from '../ir/op-def.js';
import { formatShape, sizeOf, type Shape } from '../ir/shape.js';

export type ReshapeAttrs = {
  /** The new shape; one entry may be -1 (inferred). Normal form: no -1. */
  readonly shape: Shape;
};

/** Same elements, row-major order, new shape. */
export const reshape: OpDef<ReshapeAttrs> = {
  name: 'reshape',
  inputs: ['x'],
  doc: {
    summary: 'The elements of x in row-major order, under a new shape.',
    attrs: { shape: 'the new shape: non-negative integers, at most one -1 inferred from the size (normal form: no -1)' },
    shape: 'dtype of x; the given shape, whose size must equal size(x)',
    vjp: 'gx = reshape(g, shape(x))',
  },
  infer([x], attrs, fail) {
    const raw = attrs.shape;
    if (!Array.isArray(raw) || !raw.every((d) => Number.isInteger(d) && d >= -1)) {
      fail(`attribute 'shape' must be an array of integers >= -1, got ${JSON.stringify(raw)}`);
    }
    const wildcards = raw.filter((d) => d === -1).length;
    if (wildcards > 1) fail(`attribute 'shape' ${JSON.stringify(raw)} has more than one -1`);
    const known = raw.reduce((p, d) => (d === -1 ? p : p * d), 1);
    const size = sizeOf(x!.shape);
    let shape = [...raw];
    if (wildcards === 1) {
      if (known === 0 || size % known !== 0) fail(`cannot infer the -1 in ${JSON.stringify(raw)}: size ${size} is not a multiple of ${known}`);
      shape = raw.map((d) => (d === -1 ? size / known : d));
    }
    if (sizeOf(shape) !== size) fail(`cannot reshape ${formatShape(x!.shape)} (size ${size}) to ${formatShape(shape)} (size ${sizeOf(shape)})`);
    return { type: { dtype: x!.dtype, shape }, attrs: { shape } };
  },
};
