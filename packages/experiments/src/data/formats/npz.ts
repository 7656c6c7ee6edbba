import yauzl from 'yauzl';
import { DataFormatError, formatBytes } from './data-error.js';
import { MAX_DATA_BYTES, MAX_DEFLATE_RATIO } from './bounded-read.js';
import type { NdArray } from './nd-array.js';
import { readNpy } from './npy.js';

/**
 * NumPy's .npz (numpy.savez, savez_compressed): a zip of .npy files, one per
 * array, named <key>.npy. Read with yauzl: each entry's size from the
 * central directory is checked against the limit before it is inflated, and
 * yauzl stops an entry that inflates past (or short of) the size it declares,
 * so a zip bomb costs nothing.
 */

export interface NpzOptions {
  /** Largest total of the arrays' inflated sizes (default MAX_DATA_BYTES). */
  readonly maxBytes?: number;
}

function zipError(file: string, error: unknown, what: string): DataFormatError {
  const message = (error as Error).message ?? String(error);
  return new DataFormatError(`${file}: ${what}: ${message}; the .npz file is damaged or not a zip: save it again with numpy.savez`, file, undefined, { cause: error });
}

/** Every array of the archive, by key (the entry name without .npy). */
export async function readNpz(file: string, options: NpzOptions = {}): Promise<Map<string, NdArray>> {
  const maxBytes = options.maxBytes ?? MAX_DATA_BYTES;
  let zip: yauzl.ZipFile;
  try {
    zip = await yauzl.openPromise(file, { lazyEntries: true, validateEntrySizes: true, strictFileNames: true });
  } catch (error) {
    throw zipError(file, error, 'cannot read it as a zip');
  }
  const arrays = new Map<string, NdArray>();
  let total = 0;
  try {
    for await (const entry of zip.eachEntry()) {
      if (entry.fileName.endsWith('/')) continue;
      const name = `${file}: ${entry.fileName}`;
      if (!entry.fileName.endsWith('.npy')) throw new DataFormatError(`${name}: not a .npy entry; an .npz holds only arrays (numpy.savez)`, file);
      if (entry.isEncrypted()) throw new DataFormatError(`${name}: encrypted; save the arrays with numpy.savez`, file);
      total += entry.uncompressedSize;
      if (total > maxBytes) throw new DataFormatError(`${name}: the arrays declare ${formatBytes(total)} so far, more than the ${formatBytes(maxBytes)} one data file may hold; the archive is damaged or not what it claims`, file);
      if (entry.compressionMethod === 8 && entry.uncompressedSize > entry.compressedSize * MAX_DEFLATE_RATIO + 1024) {
        throw new DataFormatError(`${name}: declares ${entry.uncompressedSize} bytes from ${entry.compressedSize} compressed ones, more than deflate can give; the archive is damaged`, file);
      }
      const bytes = new Uint8Array(entry.uncompressedSize);
      let filled = 0;
      try {
        const stream = await zip.openReadStreamPromise(entry);
        for await (const chunk of stream as AsyncIterable<Buffer>) {
          if (filled + chunk.length > bytes.length) throw new Error(`inflates past the ${bytes.length} bytes it declares`);
          bytes.set(chunk, filled);
          filled += chunk.length;
        }
      } catch (error) {
        throw zipError(name, error, 'cannot inflate the entry');
      }
      if (filled !== bytes.length) throw new DataFormatError(`${name}: inflates to ${filled} bytes, not the ${bytes.length} it declares; the archive is truncated`, file);
      arrays.set(entry.fileName.slice(0, -'.npy'.length), readNpy(bytes, name));
    }
  } catch (error) {
    if (error instanceof DataFormatError) throw error;
    throw zipError(file, error, 'cannot read the zip');
  } finally {
    zip.close();
  }
  return arrays;
}
