import { isFloatDType, type DType } from '../ir/dtype.js';
import type { OpDef, OpDoc } from '../ir/op-def.js';
import { broadcastShapes, formatShape } from '../ir/shape.js';
import { requireSameDType } from './checks.js';

export type NoAttrs = Record<string, never>;

/** An element-wise op of one input; the output has the input's type. */
export function defineUnary(name: string, dtypes: 'float' | 'numeric', doc: Omit<OpDoc, 'attrs' | 'shape'>): OpDef<NoAttrs> {
  return {
    name,
    inputs: ['x'],
    doc: { ...doc, attrs: {}, shape: `same dtype (${dtypes === 'float' ? 'float32 or float64' : 'any'}) and shape as x` },
    infer([x], attrs, fail) {
      if (dtypes === 'float' && !isFloatDType(x!.dtype)) fail(`input 'x' must be float32 or float64, got ${x!.dtype}`);
      return { type: { dtype: x!.dtype, shape: x!.shape }, attrs };
    },
  };
}

/**
 * An element-wise op of two inputs with NumPy broadcasting. Both inputs share one
 * dtype (no implicit promotion); the output has that dtype.
 */
export function defineBinary(name: string, dtypes: 'float' | 'numeric', doc: Omit<OpDoc, 'attrs' | 'shape'>): OpDef<NoAttrs> {
  const rule = dtypes === 'float' ? 'float32 or float64' : 'any';
  return {
    name,
    inputs: ['a', 'b'],
    doc: { ...doc, attrs: {}, shape: `a and b share one dtype (${rule}); output: that dtype, shape broadcast(a, b) by NumPy rules` },
    infer([a, b], attrs, fail) {
      const dtype: DType = requireSameDType([a!, b!], fail);
      if (dtypes === 'float' && !isFloatDType(dtype)) fail(`inputs must be float32 or float64, got ${dtype}`);
      const shape = broadcastShapes(a!.shape, b!.shape);
      if (shape === undefined) {
        fail(`shapes ${formatShape(a!.shape)} and ${formatShape(b!.shape)} do not broadcast: aligned from the right, each pair of dims must be equal or contain a 1`);
      }
      return { type: { dtype, shape: shape! }, attrs };
    },
  };
}
