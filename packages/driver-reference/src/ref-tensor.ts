import { formatShape, hostTensor, sizeOf, type DType, type HostTensor, type Shape, type TensorType } from '@ltssl/core';

/**
 * The reference driver's tensor: float32 and float64 values are held as
 * float64 (rounded to float32 after each op only in float32 precision mode),
 * int32 as int32.
 */
export interface RefTensor {
  readonly dtype: DType;
  readonly shape: Shape;
  readonly data: Float64Array | Int32Array;
}

export function alloc(type: TensorType): RefTensor {
  const size = sizeOf(type.shape);
  return { dtype: type.dtype, shape: [...type.shape], data: type.dtype === 'int32' ? new Int32Array(size) : new Float64Array(size) };
}

export function fromHost(tensor: HostTensor): RefTensor {
  const data = tensor.dtype === 'int32' ? Int32Array.from(tensor.data) : Float64Array.from(tensor.data);
  return { dtype: tensor.dtype, shape: [...tensor.shape], data };
}

export function toHost(tensor: RefTensor): HostTensor {
  return hostTensor(tensor.dtype, tensor.shape, tensor.data);
}

/** Rounds float32 values to float32 precision in place. */
export function roundToFloat32(tensor: RefTensor): void {
  const data = tensor.data;
  for (let i = 0; i < data.length; i++) data[i] = Math.fround(data[i]!);
}

export function describe(tensor: RefTensor): string {
  return `${tensor.dtype}${formatShape(tensor.shape)}`;
}
