import { createReadStream } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { createGunzip } from 'node:zlib';
import { DataFormatError, dataError, formatBytes } from './data-error.js';

/**
 * The most decoded bytes one data file may declare: 1 GiB holds CIFAR-10's
 * train set six times over. A header that declares more is taken as damaged
 * rather than allocated.
 */
export const MAX_DATA_BYTES = 2 ** 30;

/**
 * Deflate cannot expand data by more than about 1032:1 (a 258-byte match in
 * under 2 bits), so a gzip file of n bytes that claims to hold far more is
 * lying before a single byte is inflated.
 */
export const MAX_DEFLATE_RATIO = 1032;

/** What a header declares: the total decoded size (header included) and the same in words. */
export interface Declared {
  readonly bytes: number;
  /** For messages: '10000 images of 28x28'. */
  readonly what: string;
  /** Offset of the header field that sets the size (the count), named in a size error. */
  readonly countOffset: number;
}

export interface DeclaredReadOptions {
  /** Length of the fixed header `declare` reads. */
  readonly headerBytes: number;
  /** For messages: 'IDX images header'. */
  readonly headerName: string;
  /** Largest total size accepted (default MAX_DATA_BYTES). */
  readonly maxBytes?: number;
  /**
   * Checks the first 4 bytes (a magic number) as soon as they are there, so a
   * wrong kind of file is named as such even when it is shorter than the header.
   */
  readonly checkMagic?: (prefix: Uint8Array) => void;
  /**
   * Makes the body buffer, called once with its exact size after every check
   * (default `new Uint8Array(bytes)`); the fuzz tests record the sizes asked for.
   */
  readonly allocate?: (bytes: number) => Uint8Array;
}

export interface DeclaredContent {
  readonly header: Uint8Array;
  /** Everything after the header: exactly `declared.bytes - headerBytes` bytes. */
  readonly body: Uint8Array;
  readonly gzip: boolean;
}

/** An open data file, its size, and whether it starts with the gzip magic 1f 8b. */
export interface OpenedFile {
  readonly handle: FileHandle;
  readonly size: number;
  readonly gzip: boolean;
}

/** A file-system error in words: 'no such file', 'permission denied'. */
export function describeFsError(error: unknown): string {
  const code = (error as { code?: string }).code;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EISDIR') return 'is a folder, not a file';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  return error instanceof Error ? error.message : String(error);
}

/** Opens `file` for reading; a missing or unreadable file is a DataFormatError naming it. */
export async function openDataFile(file: string): Promise<OpenedFile> {
  let handle: FileHandle;
  try {
    handle = await open(file, 'r');
  } catch (error) {
    throw new DataFormatError(`${file}: cannot open: ${describeFsError(error)}`, file, undefined, { cause: error });
  }
  try {
    const stats = await handle.stat();
    if (!stats.isFile()) throw new DataFormatError(`${file}: cannot open: not a regular file`, file);
    const magic = new Uint8Array(2);
    const { bytesRead } = await handle.read(magic, 0, 2, 0);
    return { handle, size: stats.size, gzip: bytesRead === 2 && magic[0] === 0x1f && magic[1] === 0x8b };
  } catch (error) {
    await handle.close();
    throw error instanceof DataFormatError ? error : new DataFormatError(`${file}: cannot read: ${describeFsError(error)}`, file, undefined, { cause: error });
  }
}

/** Fills `target` from `position`; a file that ends early (it shrank while read) is a truncation error. */
export async function readFully(handle: FileHandle, target: Uint8Array, position: number, file: string): Promise<void> {
  let done = 0;
  while (done < target.length) {
    let bytesRead: number;
    try {
      ({ bytesRead } = await handle.read(target, done, target.length - done, position + done));
    } catch (error) {
      throw new DataFormatError(`${file}: cannot read: ${describeFsError(error)}`, file, undefined, { cause: error });
    }
    if (bytesRead === 0) throw dataError(file, position + done, `file ends here, ${target.length - done} bytes short of what was expected; the file is truncated`);
    done += bytesRead;
  }
}

function allocate(options: DeclaredReadOptions, bytes: number): Uint8Array {
  const body = options.allocate ? options.allocate(bytes) : new Uint8Array(bytes);
  if (body.length !== bytes) throw new Error(`allocate(${bytes}) returned ${body.length} bytes`);
  return body;
}

function checkLimit(file: string, declared: Declared, maxBytes: number): void {
  if (!(declared.bytes <= maxBytes)) {
    throw dataError(
      file,
      declared.countOffset,
      `the header declares ${declared.what}, ${formatBytes(declared.bytes)} in all, more than the ${formatBytes(maxBytes)} one data file may hold; the header is damaged or the file is not what it claims`,
    );
  }
}

/**
 * A broken gzip stream. Its offset is in the compressed file (said so in the
 * message): where it ends for a truncation, the trailer for a checksum
 * mismatch, else the compressed bytes zlib had taken in when it failed.
 */
export function zlibError(file: string, size: number, consumed: number, inflated: number, error: Error): DataFormatError {
  const options = { cause: error };
  if (/unexpected end of file/.test(error.message)) {
    return new DataFormatError(`${file}: byte ${size} of the compressed file: the gzip stream ends early, after ${inflated} inflated bytes; the file is truncated: download it again`, file, size, options);
  }
  if (/incorrect (data|length) check/.test(error.message)) {
    const trailer = Math.max(0, size - 8);
    return new DataFormatError(`${file}: byte ${trailer} of the compressed file: the gzip trailer does not match the inflated data (zlib: ${error.message}); the file is damaged: download it again`, file, trailer, options);
  }
  return new DataFormatError(`${file}: byte ${consumed} of the compressed file: the gzip data is corrupt (zlib: ${error.message}); the file is damaged: download it again`, file, consumed, options);
}

/**
 * Reads a file whose own header declares its length (IDX), raw or gzipped.
 * `declare` validates the first `headerBytes` decoded bytes (throwing a
 * DataFormatError) and returns the total size they declare. That size is
 * bounded (maxBytes; for gzip also by deflate's best ratio) before anything
 * is allocated, a raw file must have exactly that size, and a gzip stream is
 * inflated chunk by chunk into a buffer of exactly that size: one that
 * inflates past it is stopped at once (a gzip bomb costs nothing), one that
 * ends short is truncated. Offsets in errors count inflated bytes for gzip.
 */
export async function readDeclaredFile(file: string, options: DeclaredReadOptions, declare: (header: Uint8Array) => Declared): Promise<DeclaredContent> {
  const maxBytes = options.maxBytes ?? MAX_DATA_BYTES;
  const opened = await openDataFile(file);
  try {
    return opened.gzip ? await readGzip(file, opened, options, maxBytes, declare) : await readRaw(file, opened, options, maxBytes, declare);
  } finally {
    await opened.handle.close();
  }
}

async function readRaw(file: string, opened: OpenedFile, options: DeclaredReadOptions, maxBytes: number, declare: (header: Uint8Array) => Declared): Promise<DeclaredContent> {
  const { handle, size } = opened;
  const { headerBytes, headerName } = options;
  const header = new Uint8Array(Math.min(size, headerBytes));
  await readFully(handle, header, 0, file);
  if (header.length >= 4) options.checkMagic?.(header.subarray(0, 4));
  if (size < headerBytes) throw dataError(file, size, `file ends after ${size} bytes, inside the ${headerName} (${headerBytes} bytes)`);
  const declared = declare(header);
  checkLimit(file, declared, maxBytes);
  if (size < declared.bytes) {
    throw dataError(file, size, `file ends after ${size} bytes, but its header declares ${declared.what}, ${declared.bytes} bytes in all; the file is truncated`);
  }
  if (size > declared.bytes) {
    throw dataError(file, declared.bytes, `${size - declared.bytes} bytes follow the ${declared.what} its header declares (${declared.bytes} bytes in all); the count in the header or the file is wrong`);
  }
  const body = allocate(options, declared.bytes - headerBytes);
  await readFully(handle, body, headerBytes, file);
  return { header, body, gzip: false };
}

async function readGzip(file: string, opened: OpenedFile, options: DeclaredReadOptions, maxBytes: number, declare: (header: Uint8Array) => Declared): Promise<DeclaredContent> {
  const { headerBytes, headerName } = options;
  const header = new Uint8Array(headerBytes);
  let headerFilled = 0;
  let declared: Declared | undefined;
  let body: Uint8Array | undefined;
  let bodyFilled = 0;
  const inflated = (): number => headerFilled + bodyFilled;

  const input = createReadStream(file);
  const gunzip = createGunzip();
  input.on('error', (error) => gunzip.destroy(error));
  input.pipe(gunzip);
  try {
    for await (const chunk of gunzip as AsyncIterable<Buffer>) {
      let at = 0;
      if (headerFilled < headerBytes) {
        const take = Math.min(headerBytes - headerFilled, chunk.length);
        header.set(chunk.subarray(0, take), headerFilled);
        headerFilled += take;
        at = take;
        if (headerFilled < headerBytes) continue;
        declared = declare(header);
        checkLimit(file, declared, maxBytes);
        const ceiling = opened.size * MAX_DEFLATE_RATIO + 1024;
        if (declared.bytes > ceiling) {
          throw dataError(
            file,
            declared.countOffset,
            `the header declares ${declared.what}, ${declared.bytes} bytes in all, but a ${opened.size}-byte gzip file cannot inflate to more than about ${ceiling}; the header or the file is damaged`,
          );
        }
        body = allocate(options, declared.bytes - headerBytes);
      }
      const rest = chunk.length - at;
      if (rest === 0) continue;
      if (bodyFilled + rest > body!.length) {
        throw dataError(file, declared!.bytes, `the gzip data inflates past the ${declared!.bytes} bytes its header declares (${declared!.what}); the file is damaged or not what it claims`);
      }
      body!.set(chunk.subarray(at), bodyFilled);
      bodyFilled += rest;
    }
  } catch (error) {
    if (error instanceof DataFormatError) throw error;
    const code = (error as { code?: string }).code ?? '';
    if (code.startsWith('Z_') || code === 'ERR_ZLIB_INITIALIZATION_FAILED') throw zlibError(file, opened.size, gunzip.bytesWritten, inflated(), error as Error);
    throw new DataFormatError(`${file}: cannot read: ${describeFsError(error)}`, file, undefined, { cause: error });
  } finally {
    input.destroy();
    gunzip.destroy();
  }
  if (headerFilled >= 4 && headerFilled < headerBytes) options.checkMagic?.(header.subarray(0, 4));
  if (headerFilled < headerBytes) throw dataError(file, headerFilled, `the inflated data ends after ${headerFilled} bytes, inside the ${headerName} (${headerBytes} bytes)`);
  if (bodyFilled < body!.length) {
    throw dataError(file, inflated(), `the inflated data ends after ${inflated()} bytes, but its header declares ${declared!.what}, ${declared!.bytes} bytes in all; the file is truncated`);
  }
  return { header, body: body!, gzip: true };
}

/**
 * The whole of a file that has no header of its own declaring a length (a
 * pickle, a .npy, whose readers check the length against their contents):
 * refused before reading when larger than `maxBytes`.
 */
export async function readWholeFile(file: string, maxBytes = MAX_DATA_BYTES): Promise<Uint8Array> {
  const opened = await openDataFile(file);
  try {
    if (opened.size > maxBytes) throw new DataFormatError(`${file}: ${formatBytes(opened.size)}, more than the ${formatBytes(maxBytes)} one data file may hold`, file);
    const bytes = new Uint8Array(opened.size);
    await readFully(opened.handle, bytes, 0, file);
    return bytes;
  } finally {
    await opened.handle.close();
  }
}
