import { sizeOf, type Shape } from '../ir/shape.js';
import type { DType } from '../ir/dtype.js';
import type { OpDef } from '../ir/op-def.js';
import { requireDType, requireIntArray } from './checks.js';

export type ConstantAttrs = {
  readonly dtype: DType;
  readonly shape: Shape;
  /** One number fills the tensor; an array gives every element, row-major. */
  readonly value: number | readonly number[];
};

/** A tensor known when the program is built: eps, scales, iota, identity masks. */
export const constant: OpDef<ConstantAttrs> = {
  name: 'constant',
  inputs: [],
  doc: {
    summary: 'A tensor fixed when the program is built.',
    attrs: {
      dtype: 'float32, float64 or int32',
      shape: 'the output shape, non-negative integers',
      value: 'one finite number that fills the tensor, or size(shape) finite numbers row-major; integers for int32',
    },
    shape: 'dtype and shape as given',
    vjp: 'none: it has no inputs',
  },
  infer(_inputs, attrs, fail) {
    const dtype = requireDType(attrs.dtype, 'dtype', fail);
    const shape = requireIntArray(attrs.shape, 'shape', fail, undefined, 0);
    const value = attrs.value;
    const values = typeof value === 'number' ? [value] : value;
    if (!Array.isArray(values) || !values.every((v) => typeof v === 'number' && Number.isFinite(v))) {
      fail(`attribute 'value' must be a finite number or an array of finite numbers`);
    }
    if (typeof value !== 'number' && values.length !== sizeOf(shape)) {
      fail(`attribute 'value' has ${values.length} numbers but shape [${shape.join(',')}] holds ${sizeOf(shape)}`);
    }
    if (dtype === 'int32' && !values.every((v) => Number.isInteger(v) && v >= -(2 ** 31) && v < 2 ** 31)) {
      fail(`attribute 'value' must hold 32-bit integers for dtype int32`);
    }
    return { type: { dtype, shape }, attrs: { dtype, shape, value: typeof value === 'number' ? value : [...values] } };
  },
};
