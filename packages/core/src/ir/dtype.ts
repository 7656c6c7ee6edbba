/**
 * Element types of the IR. float32 is the training dtype; float64 exists for the
 * reference driver, where the conformance suite checks gradients by finite
 * differences; int32 carries labels, indices and masks.
 */
export const DTYPES = ['float32', 'float64', 'int32'] as const;
export type DType = (typeof DTYPES)[number];

export type FloatDType = 'float32' | 'float64';

export function isDType(value: unknown): value is DType {
  return typeof value === 'string' && (DTYPES as readonly string[]).includes(value);
}

export function isFloatDType(dtype: DType): dtype is FloatDType {
  return dtype === 'float32' || dtype === 'float64';
}

/** Host-side storage for each dtype. */
export interface TypedArrayByDType {
  float32: Float32Array;
  float64: Float64Array;
  int32: Int32Array;
}
export type HostArray = TypedArrayByDType[DType];

export function allocate<D extends DType>(dtype: D, size: number): TypedArrayByDType[D] {
  switch (dtype) {
    case 'float32':
      return new Float32Array(size) as TypedArrayByDType[D];
    case 'float64':
      return new Float64Array(size) as TypedArrayByDType[D];
    case 'int32':
      return new Int32Array(size) as TypedArrayByDType[D];
  }
  throw new Error(`allocate: unknown dtype '${String(dtype)}'`);
}

/** The dtype a typed array stores, or undefined for any other array. */
export function dtypeOfArray(data: unknown): DType | undefined {
  if (data instanceof Float32Array) return 'float32';
  if (data instanceof Float64Array) return 'float64';
  if (data instanceof Int32Array) return 'int32';
  return undefined;
}
