import type { DType } from '../ir/dtype.js';
import type { OpDef } from '../ir/op-def.js';
import { requireDType } from './checks.js';

export type CastAttrs = {
  readonly to: DType;
};

/** Converts the element type; float -> int32 truncates toward zero (PyTorch and ONNX agree). */
export const cast: OpDef<CastAttrs> = {
  name: 'cast',
  inputs: ['x'],
  doc: {
    summary: 'Element type conversion. Float to int32 truncates toward zero; values outside the int32 range or NaN are undefined. To float32 rounds to nearest.',
    attrs: { to: 'the output dtype: float32, float64 or int32' },
    shape: "dtype 'to', shape of x",
    vjp: 'float to float: gx = cast(g, dtype(x)); to or from int32: not differentiable',
  },
  infer([x], attrs, fail) {
    const to = requireDType(attrs.to, 'to', fail);
    return { type: { dtype: to, shape: x!.shape }, attrs: { to } };
  },
};
