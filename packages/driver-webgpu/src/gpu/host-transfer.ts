import { allocate, sizeOf, type DType, type HostTensor, type Shape } from '@ltssl/core';
import { MAP_MODE_READ } from './gpu-constants.js';

/** Writes host values (float32 or int32, as the buffer's dtype) at the start of `buffer`. */
export function upload(device: GPUDevice, buffer: GPUBuffer, data: Float32Array | Int32Array): void {
  if (data.length > 0) device.queue.writeBuffer(buffer, 0, data.buffer, data.byteOffset, data.byteLength);
}

/** Reads a mapped staging buffer into a new host tensor; the caller has mapped it. */
export function readMapped(staging: GPUBuffer, dtype: DType, shape: Shape): HostTensor {
  const data = allocate(dtype, sizeOf(shape));
  if (data.length > 0) {
    const bytes = staging.getMappedRange(0, Math.ceil((data.length * 4) / 16) * 16);
    data.set(dtype === 'int32' ? new Int32Array(bytes, 0, data.length) : new Float32Array(bytes, 0, data.length));
  }
  return { dtype, shape: [...shape], data };
}

export async function mapAll(buffers: readonly GPUBuffer[]): Promise<void> {
  await Promise.all(buffers.map((b) => b.mapAsync(MAP_MODE_READ)));
}
