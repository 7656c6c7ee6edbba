import { open, type FileHandle } from 'node:fs/promises';
import { sizeOf, type HostTensor, type StateDict } from '@ltssl/core';
import { checkpointError, describeFsError } from './checkpoint-error.js';
import { decodeElements, SAFETENSORS_DTYPES } from './safetensors-dtypes.js';
import { LENGTH_BYTES, parseHeader, readHeaderLength, type SafetensorsHeader } from './safetensors-header.js';

export interface SafetensorsContent {
  /** Every tensor read, in the order of its data in the file. */
  readonly tensors: StateDict;
  /** The `__metadata__` strings ({} when the file has none). */
  readonly metadata: Readonly<Record<string, string>>;
}

export interface ReadSafetensorsOptions {
  /** Reads only the tensors whose name it accepts (the whole header is still validated). */
  readonly select?: (name: string) => boolean;
}

/** Bytes at positions: a file or a buffer, so one reader (and its fuzz tests) serves both. */
interface ByteSource {
  readonly size: number;
  read(position: number, length: number): Promise<Uint8Array>;
}

function memorySource(bytes: Uint8Array): ByteSource {
  return { size: bytes.length, read: async (position, length) => bytes.subarray(position, Math.min(bytes.length, position + length)) };
}

function fileSource(file: string, handle: FileHandle, size: number): ByteSource {
  return {
    size,
    async read(position, length) {
      const target = new Uint8Array(length);
      let done = 0;
      while (done < length) {
        let bytesRead: number;
        try {
          ({ bytesRead } = await handle.read(target, done, length - done, position + done));
        } catch (error) {
          throw checkpointError(file, `cannot read: ${describeFsError(error)}`, undefined, { cause: error });
        }
        if (bytesRead === 0) break; // the file shrank while read: the caller reports the short read
        done += bytesRead;
      }
      return target.subarray(0, done);
    },
  };
}

async function readExactly(source: ByteSource, file: string, position: number, length: number): Promise<Uint8Array> {
  const bytes = await source.read(position, length);
  if (bytes.length !== length) throw checkpointError(file, `byte ${position + bytes.length}: the file ends ${length - bytes.length} bytes early; it was truncated while being read`);
  return bytes;
}

async function readHeaderFrom(source: ByteSource, file: string): Promise<SafetensorsHeader> {
  const first = await source.read(0, LENGTH_BYTES);
  const length = readHeaderLength(file, first, source.size);
  const header = await readExactly(source, file, LENGTH_BYTES, length);
  const dataStart = LENGTH_BYTES + length;
  return { ...parseHeader(file, header, source.size - dataStart), dataStart };
}

async function readFrom(source: ByteSource, file: string, options: ReadSafetensorsOptions): Promise<SafetensorsContent> {
  const header = await readHeaderFrom(source, file);
  // Every size below was checked against the file's size by the header, so nothing here allocates more than the file holds.
  const entries: [string, HostTensor][] = [];
  for (const t of header.tensors) {
    if (options.select && !options.select(t.name)) continue;
    const bytes = await readExactly(source, file, header.dataStart + t.begin, t.end - t.begin);
    const data = decodeElements(t.dtype, bytes, sizeOf(t.shape), file, t.name);
    entries.push([t.name, { dtype: SAFETENSORS_DTYPES[t.dtype].dtype, shape: [...t.shape], data } as HostTensor]);
  }
  // fromEntries defines own properties, so a tensor named '__proto__' stays a tensor.
  return { tensors: Object.fromEntries(entries), metadata: header.metadata };
}

async function withFile<T>(file: string, use: (source: ByteSource) => Promise<T>): Promise<T> {
  let handle: FileHandle;
  try {
    handle = await open(file, 'r');
  } catch (error) {
    throw checkpointError(file, `cannot open: ${describeFsError(error)}`, undefined, { cause: error });
  }
  try {
    const stats = await handle.stat();
    if (!stats.isFile()) throw checkpointError(file, 'cannot open: not a regular file');
    return await use(fileSource(file, handle, stats.size));
  } finally {
    await handle.close();
  }
}

/** The validated header of a safetensors file, without reading its tensors. */
export async function readSafetensorsHeader(file: string): Promise<SafetensorsHeader> {
  return withFile(file, (source) => readHeaderFrom(source, file));
}

/**
 * Reads a safetensors file: every size, offset and dtype is validated before
 * any tensor is allocated, and each error is a CheckpointError naming the
 * file and, where it applies, the tensor. F16/BF16 become float32; I64
 * becomes int32 when every value fits, else it is an error.
 */
export async function readSafetensors(file: string, options: ReadSafetensorsOptions = {}): Promise<SafetensorsContent> {
  return withFile(file, (source) => readFrom(source, file, options));
}

/** readSafetensors on bytes in memory; `file` names them in errors. */
export async function decodeSafetensors(bytes: Uint8Array, file = '<safetensors bytes>', options: ReadSafetensorsOptions = {}): Promise<SafetensorsContent> {
  return readFrom(memorySource(bytes), file, options);
}
