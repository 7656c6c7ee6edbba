import type { StateDict } from '@ltssl/core';
import { writeFileAtomic } from './atomic-write.js';
import { encodeElements } from './safetensors-dtypes.js';
import { planSafetensors } from './safetensors-encode.js';

/**
 * Writes `tensors` as a safetensors file (float32 as F32, int32 as I32,
 * float64 as F64), atomically: every tensor is checked before the file is
 * created, data is streamed one tensor at a time, and a failure at any point
 * leaves an existing `file` as it was.
 */
export async function writeSafetensors(file: string, tensors: StateDict, metadata: Readonly<Record<string, string>> = {}): Promise<void> {
  const plan = planSafetensors(tensors, metadata, file);
  await writeFileAtomic(file, async (write) => {
    await write(plan.header);
    for (const [, tensor] of plan.tensors) await write(encodeElements(tensor.data));
  });
}
