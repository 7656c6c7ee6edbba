import { allocate, type DType, type HostArray } from '@ltssl/core';
import { checkpointError } from './checkpoint-error.js';

/**
 * The safetensors dtypes ltssl reads, each with its element size and the ltssl
 * dtype it becomes. F16 and BF16 widen exactly to float32 (PyTorch exports
 * often use them); I64 narrows to int32 only when every value fits, because
 * PyTorch stores num_batches_tracked and labels as int64.
 */
export const SAFETENSORS_DTYPES = {
  F64: { bytes: 8, dtype: 'float64' },
  F32: { bytes: 4, dtype: 'float32' },
  F16: { bytes: 2, dtype: 'float32' },
  BF16: { bytes: 2, dtype: 'float32' },
  I64: { bytes: 8, dtype: 'int32' },
  I32: { bytes: 4, dtype: 'int32' },
} as const satisfies Record<string, { readonly bytes: number; readonly dtype: DType }>;

export type SafetensorsDType = keyof typeof SAFETENSORS_DTYPES;

export function isSafetensorsDType(value: unknown): value is SafetensorsDType {
  return typeof value === 'string' && Object.hasOwn(SAFETENSORS_DTYPES, value);
}

/** What ltssl writes for each of its dtypes: the same width, so a round trip is exact. */
export const WRITTEN_DTYPE: Record<DType, SafetensorsDType> = { float32: 'F32', float64: 'F64', int32: 'I32' };

const INT32_MIN = -(2n ** 31n);
const INT32_MAX = 2n ** 31n - 1n;

/** IEEE binary16 bits to a number (exact). */
function halfToNumber(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >> 10) & 0x1f;
  const fraction = bits & 0x3ff;
  if (exponent === 0) return sign * fraction * 2 ** -24; // subnormal (and zero)
  if (exponent === 0x1f) return fraction === 0 ? sign * Infinity : NaN;
  return sign * (1 + fraction / 1024) * 2 ** (exponent - 15);
}

/**
 * Decodes `bytes` (little-endian elements of `stored`, already checked to hold
 * exactly `count` of them) into a fresh array of ltssl's dtype. Reads go
 * through a DataView, so the result is right on any host byte order.
 */
export function decodeElements(stored: SafetensorsDType, bytes: Uint8Array, count: number, file: string, tensor: string): HostArray {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out = allocate(SAFETENSORS_DTYPES[stored].dtype, count);
  switch (stored) {
    case 'F64':
      for (let i = 0; i < count; i++) out[i] = view.getFloat64(8 * i, true);
      break;
    case 'F32':
      for (let i = 0; i < count; i++) out[i] = view.getFloat32(4 * i, true);
      break;
    case 'F16':
      for (let i = 0; i < count; i++) out[i] = halfToNumber(view.getUint16(2 * i, true));
      break;
    case 'BF16': {
      // bfloat16 is the top half of a float32: widen by shifting the bits back into place.
      const word = new DataView(new ArrayBuffer(4));
      for (let i = 0; i < count; i++) {
        word.setUint32(0, view.getUint16(2 * i, true) << 16);
        out[i] = word.getFloat32(0);
      }
      break;
    }
    case 'I32':
      for (let i = 0; i < count; i++) out[i] = view.getInt32(4 * i, true);
      break;
    case 'I64':
      for (let i = 0; i < count; i++) {
        const value = view.getBigInt64(8 * i, true);
        if (value < INT32_MIN || value > INT32_MAX) {
          throw checkpointError(file, `element ${i} is ${value}, outside int32's range [-2^31, 2^31); ltssl holds integer tensors as int32 and cannot read this one`, tensor);
        }
        out[i] = Number(value);
      }
      break;
  }
  return out;
}

/** The little-endian bytes of `data` as ltssl writes it (F32, F64 or I32). */
export function encodeElements(data: HostArray): Uint8Array {
  const bytes = new Uint8Array(data.byteLength);
  const view = new DataView(bytes.buffer);
  if (data instanceof Float32Array) for (let i = 0; i < data.length; i++) view.setFloat32(4 * i, data[i]!, true);
  else if (data instanceof Float64Array) for (let i = 0; i < data.length; i++) view.setFloat64(8 * i, data[i]!, true);
  else for (let i = 0; i < data.length; i++) view.setInt32(4 * i, data[i]!, true);
  return bytes;
}
