import { createReadStream } from 'node:fs';
import { Transform, type TransformCallback } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { extract } from 'tar-stream';
import { DataFormatError, formatBytes } from './data-error.js';
import { describeFsError, MAX_DATA_BYTES, MAX_DEFLATE_RATIO, openDataFile, zlibError } from './bounded-read.js';

/**
 * The files of a .tar or .tar.gz archive (CIFAR's cifar-10-binary.tar.gz,
 * cifar-10-python.tar.gz, ...), streamed through node:zlib and tar-stream
 * without unpacking to disk, with the IDX reader's defences: the inflated
 * stream is counted and stopped the moment it passes the limit (a gzip bomb
 * costs nothing), an entry's declared size is checked against the limit and
 * against what the compressed file could inflate to before anything is
 * allocated, and an archive that ends early (gzip or tar) is named truncated.
 */

export interface TarballOptions {
  /** Largest inflated stream, every entry and padding included (default MAX_DATA_BYTES). */
  readonly maxBytes?: number;
}

export interface TarEntries {
  /** The archive's regular files that `wanted` picked, by their path in the archive. */
  readonly files: ReadonlyMap<string, Uint8Array>;
  /** Every regular file's path in the archive, in archive order. */
  readonly names: readonly string[];
}

/** Whether a file name looks like a tar archive: .tar, .tar.gz, .tgz. */
export function isTarballName(file: string): boolean {
  return /\.(tar|tar\.gz|tgz)$/i.test(file);
}

/** Counts the bytes passing through and stops the stream at `limit`. */
class Counter extends Transform {
  bytes = 0;
  constructor(
    private readonly limit: number,
    private readonly onLimit: () => Error,
  ) {
    super();
  }
  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    this.bytes += chunk.length;
    if (this.bytes > this.limit) done(this.onLimit());
    else done(null, chunk);
  }
}

/** The entries `wanted` picks of the archive `file`; the others are read past, never kept. */
export async function readTarball(file: string, wanted: (path: string) => boolean, options: TarballOptions = {}): Promise<TarEntries> {
  const maxBytes = options.maxBytes ?? MAX_DATA_BYTES;
  const opened = await openDataFile(file);
  await opened.handle.close();
  // What the file could hold at most: deflate's best ratio for gzip, its size for a plain tar.
  const ceiling = opened.gzip ? opened.size * MAX_DEFLATE_RATIO + 1024 : opened.size;
  const input = createReadStream(file);
  const gunzip = opened.gzip ? createGunzip() : undefined;
  const counter = new Counter(
    maxBytes,
    () => new DataFormatError(`${file}: the archive inflates past ${formatBytes(maxBytes)}, the most one data file may hold; it is damaged or not a dataset archive (a gzip bomb is stopped here)`, file),
  );
  const tar = extract();
  const failures: Error[] = [];
  const stop = (error: Error): void => {
    failures.push(error);
    tar.destroy(error);
  };
  input.on('error', stop);
  gunzip?.on('error', stop);
  counter.on('error', stop);
  (gunzip ? input.pipe(gunzip).pipe(counter) : input.pipe(counter)).pipe(tar as unknown as NodeJS.WritableStream);

  const files = new Map<string, Uint8Array>();
  const names: string[] = [];
  let current = '(the first entry)';
  try {
    for await (const entry of tar) {
      const { name, size, type } = entry.header;
      current = name;
      if (type !== 'file' && type !== 'contiguous-file') {
        entry.resume();
        continue;
      }
      names.push(name);
      if (size > maxBytes || size > ceiling) {
        throw new DataFormatError(
          `${file}: ${name}: the tar header declares ${formatBytes(size)}, more than ${size > maxBytes ? `the ${formatBytes(maxBytes)} one data file may hold` : `a ${opened.gzip ? 'gzip ' : ''}file of ${formatBytes(opened.size)} can hold`}; the archive is damaged or not what it claims`,
          file,
        );
      }
      if (!wanted(name)) {
        entry.resume();
        continue;
      }
      const bytes = new Uint8Array(size);
      let filled = 0;
      for await (const chunk of entry as AsyncIterable<Uint8Array>) {
        bytes.set(chunk, filled);
        filled += chunk.length;
      }
      if (filled !== size) throw new DataFormatError(`${file}: ${name}: the archive ends after ${filled} of its ${size} bytes; it is truncated: download it again`, file);
      files.set(name, bytes);
    }
  } catch (error) {
    throw archiveError(file, current, opened.size, gunzip, counter.bytes, failures[0] ?? (error as Error));
  } finally {
    input.destroy();
    gunzip?.destroy();
    tar.destroy();
  }
  if (failures.length > 0) throw archiveError(file, current, opened.size, gunzip, counter.bytes, failures[0]!);
  return { files, names };
}

/** A failure while streaming, in the words of its cause: the limit, zlib, tar-stream or the file system. */
function archiveError(file: string, entry: string, size: number, gunzip: ReturnType<typeof createGunzip> | undefined, inflated: number, error: Error): DataFormatError {
  if (error instanceof DataFormatError) return error;
  const code = (error as { code?: string }).code ?? '';
  if (gunzip && (code.startsWith('Z_') || code === 'ERR_ZLIB_INITIALIZATION_FAILED')) return zlibError(file, size, gunzip.bytesWritten, inflated, error);
  if (/Unexpected end of data/.test(error.message)) {
    return new DataFormatError(`${file}: the tar archive ends inside ${entry}, after ${inflated} ${gunzip ? 'inflated ' : ''}bytes; it is truncated: download it again`, file, undefined, { cause: error });
  }
  if (/Invalid tar header/.test(error.message)) {
    return new DataFormatError(`${file}: after ${entry}: not a valid tar header (${error.message}); the archive is damaged, or not a tar archive`, file, undefined, { cause: error });
  }
  return new DataFormatError(`${file}: cannot read the archive: ${describeFsError(error)}`, file, undefined, { cause: error });
}
