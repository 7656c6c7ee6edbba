import { formatShape } from '@ltssl/core';
import { checkpointError } from './checkpoint-error.js';
import { pytorchFileKind, pytorchFileMessage } from './pytorch-file.js';
import { isSafetensorsDType, SAFETENSORS_DTYPES, type SafetensorsDType } from './safetensors-dtypes.js';

/** huggingface/safetensors refuses headers over 100 MB; so do we, before reading one. */
export const MAX_HEADER_BYTES = 100_000_000;

/** The 8-byte little-endian header length that starts every safetensors file. */
export const LENGTH_BYTES = 8;

export const METADATA_KEY = '__metadata__';

/** One tensor as the header declares it; offsets count from the start of the data section. */
export interface TensorEntry {
  readonly name: string;
  readonly dtype: SafetensorsDType;
  readonly shape: readonly number[];
  readonly begin: number;
  readonly end: number;
}

export interface SafetensorsHeader {
  /** Every tensor, in the order of its data in the file. */
  readonly tensors: readonly TensorEntry[];
  /** The `__metadata__` strings ({} when the file has none). */
  readonly metadata: Readonly<Record<string, string>>;
  /** Byte offset of the data section: 8 + the header length. */
  readonly dataStart: number;
}

const SUPPORTED = Object.keys(SAFETENSORS_DTYPES).join(', ');

/**
 * The header length from the first bytes of a file of `fileSize` bytes,
 * checked against what the file can hold before anything of that size is read.
 */
export function readHeaderLength(file: string, first: Uint8Array, fileSize: number): number {
  // Only a file that is no safetensors file is taken for a .pth: a real header length may start with 0x80 0x02.
  try {
    return declaredHeaderLength(file, first, fileSize);
  } catch (error) {
    const kind = pytorchFileKind(first);
    throw kind ? checkpointError(file, pytorchFileMessage(kind), undefined, { cause: error }) : error;
  }
}

function declaredHeaderLength(file: string, first: Uint8Array, fileSize: number): number {
  if (fileSize < LENGTH_BYTES || first.length < LENGTH_BYTES) {
    throw checkpointError(file, `the file is ${fileSize} bytes, shorter than the 8-byte header length every safetensors file starts with; it is truncated or not a safetensors file`);
  }
  const declared = new DataView(first.buffer, first.byteOffset, LENGTH_BYTES).getBigUint64(0, true);
  const available = fileSize - LENGTH_BYTES;
  if (declared > BigInt(available)) {
    throw checkpointError(file, `byte 0: the header length says ${declared} bytes of JSON follow, but the file has only ${available} bytes after it; it is truncated or not a safetensors file`);
  }
  const length = Number(declared);
  if (length > MAX_HEADER_BYTES) throw checkpointError(file, `byte 0: the header length is ${length} bytes, more than the ${MAX_HEADER_BYTES} safetensors allows; the file is damaged`);
  if (length < 2) throw checkpointError(file, `byte 0: the header length is ${length} bytes, too short for a JSON object ('{}' at least); the file is damaged`);
  return length;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `${typeof value} ${JSON.stringify(value)}`;
}

function isOffset(value: unknown): value is number {
  return Number.isSafeInteger(value) && (value as number) >= 0;
}

function parseMetadata(file: string, value: unknown): Record<string, string> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw checkpointError(file, `header: '${METADATA_KEY}' must be an object of strings, got ${describe(value)}`);
  }
  for (const [key, v] of Object.entries(value)) {
    if (typeof v !== 'string') throw checkpointError(file, `header: '${METADATA_KEY}' entry '${key}' must be a string, got ${describe(v)}`);
  }
  return Object.fromEntries(Object.entries(value as Record<string, string>));
}

function parseEntry(file: string, name: string, value: unknown, dataLength: number): TensorEntry {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw checkpointError(file, `header: expected an object {dtype, shape, data_offsets}, got ${describe(value)}`, name);
  }
  const { dtype, shape, data_offsets: offsets } = value as Record<string, unknown>;
  if (dtype === undefined && shape === undefined && offsets === undefined) {
    // What a flipped byte in the key '__metadata__' leaves: an object of strings under another name.
    const near = /^_.*_$/.test(name) ? `; its name looks like a damaged '${METADATA_KEY}'` : '';
    throw checkpointError(file, `header: an entry that is neither a tensor ({dtype, shape, data_offsets}) nor '${METADATA_KEY}'${near}; the file is damaged`, name);
  }
  if (!isSafetensorsDType(dtype)) throw checkpointError(file, `header: dtype ${JSON.stringify(dtype)} is not one ltssl reads (${SUPPORTED})`, name);
  if (!Array.isArray(shape) || !shape.every(isOffset)) throw checkpointError(file, `header: shape must be an array of non-negative integers, got ${JSON.stringify(shape)}`, name);
  if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every(isOffset)) {
    throw checkpointError(file, `header: data_offsets must be [begin, end], two non-negative integers, got ${JSON.stringify(offsets)}`, name);
  }
  const [begin, end] = offsets as [number, number];
  if (begin > end) throw checkpointError(file, `header: data_offsets [${begin}, ${end}] end before they begin`, name);
  if (end > dataLength) throw checkpointError(file, `header: data_offsets [${begin}, ${end}] end past the data section, which holds ${dataLength} bytes; the file is truncated or damaged`, name);
  // The product stops growing past 2^53, where it would lose precision: no file holds that much.
  const range = end - begin;
  let bytes = shape.includes(0) ? 0 : SAFETENSORS_DTYPES[dtype].bytes;
  for (const d of shape) {
    bytes *= d;
    if (bytes > Number.MAX_SAFE_INTEGER) break;
  }
  if (bytes !== range) {
    const needed = bytes > Number.MAX_SAFE_INTEGER ? 'more than 2^53' : `${bytes}`;
    throw checkpointError(file, `header: shape ${formatShape(shape)} of ${dtype} needs ${needed} bytes, but data_offsets [${begin}, ${end}] hold ${range}`, name);
  }
  return { name, dtype, shape: [...shape], begin, end };
}

/**
 * Parses and validates the JSON header (its `header` bytes, spaces of padding
 * allowed) of a file whose data section holds `dataLength` bytes. Besides each
 * entry, the tensors must tile the data section exactly, as huggingface/safetensors
 * requires: sorted by offset, no overlap, no gap, nothing past the last one.
 */
export function parseHeader(file: string, header: Uint8Array, dataLength: number): Omit<SafetensorsHeader, 'dataStart'> {
  if (header[0] !== 0x7b) throw checkpointError(file, `byte ${LENGTH_BYTES}: the header must be a JSON object starting with '{'; the file is damaged or not a safetensors file`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(header));
  } catch (error) {
    throw checkpointError(file, `header: not valid UTF-8 JSON (${(error as Error).message}); the file is damaged`, undefined, { cause: error });
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw checkpointError(file, `header: expected a JSON object, got ${describe(parsed)}`);
  let metadata: Record<string, string> = {};
  const tensors: TensorEntry[] = [];
  for (const [name, value] of Object.entries(parsed)) {
    if (name === METADATA_KEY) metadata = parseMetadata(file, value);
    else tensors.push(parseEntry(file, name, value, dataLength));
  }
  tensors.sort((a, b) => a.begin - b.begin || a.end - b.end);
  let previous: TensorEntry | undefined;
  for (const t of tensors) {
    const at = previous?.end ?? 0;
    if (t.begin < at) {
      throw checkpointError(file, `header: data_offsets [${t.begin}, ${t.end}] overlap those of '${previous!.name}' [${previous!.begin}, ${previous!.end}]; the file is damaged`, t.name);
    }
    if (t.begin > at) throw checkpointError(file, `header: data_offsets [${t.begin}, ${t.end}] leave bytes ${at} to ${t.begin} of the data section unused; safetensors packs tensors with no gap`, t.name);
    previous = t;
  }
  const covered = previous?.end ?? 0;
  if (covered !== dataLength) {
    throw checkpointError(file, `the data section holds ${dataLength} bytes, but its tensors end at byte ${covered}: ${dataLength - covered} bytes past the last tensor; the file is damaged`);
  }
  return { tensors, metadata };
}
