import type { DType } from '../ir/dtype.js';
import type { Attrs } from '../ir/op-def.js';
import { hostTensor, type HostTensor } from '../driver/host-tensor.js';
import type { OpName } from '../ops/registry.js';

/** A tensor in an op case file: plain JSON, row-major data. */
export interface OpCaseTensor {
  readonly dtype: DType;
  readonly shape: readonly number[];
  readonly data: readonly number[];
}

/** One op applied to given inputs, with the expected output. */
export interface OpCase {
  readonly name: string;
  readonly attrs: Attrs;
  readonly inputs: readonly OpCaseTensor[];
  readonly expected: OpCaseTensor;
}

/** The cases of one op, and where their expected values came from. */
export interface OpCaseFile {
  readonly op: OpName;
  readonly source: string;
  readonly cases: readonly OpCase[];
}

export function toHostTensor(t: OpCaseTensor): HostTensor {
  return hostTensor(t.dtype, t.shape, t.data);
}

/**
 * The case with every float64 tensor (and float64 dtype attribute) in another
 * float dtype: how float32-only drivers run the float64 golden cases. Expected
 * values stay the float64 ones; the caller's tolerance absorbs the rounding.
 */
export function caseInDType(c: OpCase, dtype: 'float32' | 'float64'): OpCase {
  const convert = (t: OpCaseTensor): OpCaseTensor => (t.dtype === 'float64' ? { ...t, dtype } : t);
  const attrs = Object.fromEntries(Object.entries(c.attrs).map(([k, v]) => [k, (k === 'dtype' || k === 'to') && v === 'float64' ? dtype : v]));
  return { ...c, attrs, inputs: c.inputs.map(convert), expected: convert(c.expected) };
}
