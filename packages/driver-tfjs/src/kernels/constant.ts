import { tensor } from '@tensorflow/tfjs-core';
import { physicalShape } from '../layout/perm.js';
import type { TfjsKernel } from './kernel.js';
import { noDemand } from './layout-rules.js';

/**
 * Made once at compile time, directly in the layout its consumers want (the
 * values are permuted on the host), and kept for the executable's life.
 */
export const constantKernel: TfjsKernel<'constant'> = {
  layout: ({ node, want }) => {
    const rank = node.shape.length;
    const output = want && want.length === rank ? want : Array.from({ length: rank }, (_, i) => i);
    const { value, shape } = node.attrs;
    if (typeof value === 'number') return { inputs: [], output, attrs: { ...node.attrs, shape: physicalShape(shape, output) } };
    return { inputs: [], output, attrs: { ...node.attrs, shape: physicalShape(shape, output), value: permuteValues(value, shape, output) } };
  },
  demand: noDemand(),
  run: (_inputs, { value, shape }, out) => {
    const size = shape.reduce((n, d) => n * d, 1);
    const dtype = out.dtype === 'int32' ? 'int32' : 'float32';
    return typeof value === 'number' ? tensor(new (dtype === 'int32' ? Int32Array : Float32Array)(size).fill(value), [...shape], dtype) : tensor([...value], [...shape], dtype);
  },
};

/** Row-major values of logical shape `shape`, reordered to layout `perm`. */
function permuteValues(values: readonly number[], shape: readonly number[], perm: readonly number[]): number[] {
  const rank = shape.length;
  if (perm.every((a, i) => a === i)) return [...values];
  const physical = physicalShape(shape, perm);
  const strides = new Array<number>(rank);
  for (let a = rank - 1, s = 1; a >= 0; a--) {
    strides[a] = s;
    s *= shape[a]!;
  }
  const out = new Array<number>(values.length);
  const index = new Array<number>(rank).fill(0);
  for (let i = 0; i < values.length; i++) {
    let source = 0;
    for (let k = 0; k < rank; k++) source += index[k]! * strides[perm[k]!]!;
    out[i] = values[source]!;
    for (let k = rank - 1; k >= 0; k--) {
      if (++index[k]! < physical[k]!) break;
      index[k] = 0;
    }
  }
  return out;
}
