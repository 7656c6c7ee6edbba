import { describeMismatch, isDType, type HostTensor, type StateDict } from '@ltssl/core';
import { checkpointError } from './checkpoint-error.js';
import { encodeElements, WRITTEN_DTYPE } from './safetensors-dtypes.js';
import { LENGTH_BYTES, METADATA_KEY } from './safetensors-header.js';

/** A safetensors file ready to be written: the length and header bytes, then each tensor's data in order. */
export interface SafetensorsPlan {
  readonly header: Uint8Array;
  readonly tensors: readonly (readonly [string, HostTensor])[];
}

/**
 * Checks every tensor and metadata entry and lays out the file: tensors in
 * the state's order, packed with no gap, the JSON padded with spaces so the
 * data section starts 8-byte aligned (as huggingface/safetensors writes it).
 * `file` names the destination in errors.
 */
export function planSafetensors(tensors: StateDict, metadata: Readonly<Record<string, string>> = {}, file = '<safetensors bytes>'): SafetensorsPlan {
  for (const [key, value] of Object.entries(metadata)) {
    if (typeof value !== 'string') throw checkpointError(file, `cannot write: metadata '${key}' must be a string, got ${typeof value}`);
  }
  const entries = Object.entries(tensors);
  const described: [string, unknown][] = Object.keys(metadata).length > 0 ? [[METADATA_KEY, { ...metadata }]] : [];
  let offset = 0;
  for (const [name, tensor] of entries) {
    if (name === METADATA_KEY) throw checkpointError(file, `cannot write: '${METADATA_KEY}' is reserved by the format and cannot name a tensor`, name);
    const dtype = (tensor as Partial<HostTensor> | null)?.dtype;
    const problem = isDType(dtype) ? describeMismatch(tensor, dtype, tensor.shape ?? []) : `cannot write dtype ${JSON.stringify(dtype)}; expected float32, float64 or int32`;
    if (problem !== undefined) throw checkpointError(file, `cannot write: ${problem}`, name);
    const begin = offset;
    offset += tensor.data.byteLength;
    described.push([name, { dtype: WRITTEN_DTYPE[tensor.dtype], shape: tensor.shape, data_offsets: [begin, offset] }]);
  }
  // fromEntries defines own properties, so a tensor named '__proto__' is written as a tensor.
  const json = new TextEncoder().encode(JSON.stringify(Object.fromEntries(described)));
  const length = Math.ceil(json.length / 8) * 8;
  const header = new Uint8Array(LENGTH_BYTES + length).fill(0x20, LENGTH_BYTES);
  new DataView(header.buffer).setBigUint64(0, BigInt(length), true);
  header.set(json, LENGTH_BYTES);
  return { header, tensors: entries };
}

/** The whole file in memory (tests, small files); writeSafetensors streams the same bytes. */
export function encodeSafetensors(tensors: StateDict, metadata: Readonly<Record<string, string>> = {}): Uint8Array {
  const plan = planSafetensors(tensors, metadata);
  const parts = [plan.header, ...plan.tensors.map(([, t]) => encodeElements(t.data))];
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}
