import type { ImageSet } from '../image-set.js';
import { MAX_DATA_BYTES, openDataFile, readFully, type OpenedFile } from './bounded-read.js';
import { DataFormatError, dataError, formatBytes } from './data-error.js';

/**
 * CIFAR-10 and CIFAR-100 "binary version" batches: headerless records of
 * label byte(s) then 3072 pixels, the red, green and blue 32x32 planes in
 * turn, row-major: already one NCHW image.
 */
export type CifarVariant = 'cifar-10' | 'cifar-100';

/** CIFAR-100 carries two labels per record: coarse (20 superclasses) first, then fine (100 classes). */
export type Cifar100Labels = 'fine' | 'coarse';

const PIXELS = 3 * 32 * 32;

interface Layout {
  readonly labelBytes: number;
  /** Which label byte of the record to use. */
  readonly labelAt: number;
  readonly classes: number;
  readonly describe: string;
}

function layout(variant: CifarVariant, labels: Cifar100Labels): Layout {
  if (variant === 'cifar-10') return { labelBytes: 1, labelAt: 0, classes: 10, describe: 'CIFAR-10: 1 label byte + 3072 pixels' };
  return labels === 'coarse'
    ? { labelBytes: 2, labelAt: 0, classes: 20, describe: 'CIFAR-100: coarse and fine label bytes + 3072 pixels' }
    : { labelBytes: 2, labelAt: 1, classes: 100, describe: 'CIFAR-100: coarse and fine label bytes + 3072 pixels' };
}

export interface CifarOptions {
  /** The set's name ('cifar-10/train'). */
  readonly name: string;
  readonly variant: CifarVariant;
  /** CIFAR-100 only: which label to use (default 'fine'). */
  readonly labels?: Cifar100Labels;
  readonly classNames?: readonly string[];
  /** Largest total size accepted, in bytes (default MAX_DATA_BYTES). */
  readonly maxBytes?: number;
}

/** Records read per file read: 1000 records is about 3 MB. */
const RECORDS_PER_READ = 1000;

/**
 * Reads CIFAR binary batch files (data_batch_1.bin .. data_batch_5.bin, or
 * CIFAR-100's train.bin) into one ImageSet, in file order. Every file's size
 * is checked against the record size before anything is allocated.
 */
export async function readCifar(files: readonly string[], options: CifarOptions): Promise<ImageSet> {
  if (files.length === 0) throw new Error('readCifar: no files given');
  const spec = checkedLayout(options);
  const record = spec.labelBytes + PIXELS;
  const maxBytes = options.maxBytes ?? MAX_DATA_BYTES;
  const opened: OpenedFile[] = [];
  try {
    let total = 0;
    for (const file of files) {
      const one = await openDataFile(file);
      opened.push(one);
      if (one.gzip) throw dataError(file, 0, 'gzip-compressed; CIFAR batches are read uncompressed: gunzip the file first (or give the .tar.gz archive as downloaded)');
      total = countRecords(file, one.size, total, options, spec, maxBytes);
    }
    const pixels = new Uint8Array(total * PIXELS);
    const labels = new Int32Array(total);
    const chunk = new Uint8Array(RECORDS_PER_READ * record);
    let image = 0;
    for (let f = 0; f < files.length; f++) {
      const { handle, size } = opened[f]!;
      const file = files[f]!;
      for (let start = 0; start < size; start += chunk.length) {
        const view = chunk.subarray(0, Math.min(chunk.length, size - start));
        await readFully(handle, view, start, file);
        image = copyRecords(view, file, start, image, spec, options, pixels, labels);
      }
    }
    return cifarSet(options, spec, pixels, labels);
  } finally {
    await Promise.all(opened.map((o) => o.handle.close()));
  }
}

/**
 * The same from batches already in memory (the entries of a .tar.gz as
 * downloaded); `batches[i].name` names each in errors.
 */
export function readCifarBytes(batches: readonly { readonly name: string; readonly bytes: Uint8Array }[], options: CifarOptions): ImageSet {
  if (batches.length === 0) throw new Error('readCifarBytes: no batches given');
  const spec = checkedLayout(options);
  const maxBytes = options.maxBytes ?? MAX_DATA_BYTES;
  let total = 0;
  for (const { name, bytes } of batches) total = countRecords(name, bytes.length, total, options, spec, maxBytes);
  const pixels = new Uint8Array(total * PIXELS);
  const labels = new Int32Array(total);
  let image = 0;
  for (const { name, bytes } of batches) image = copyRecords(bytes, name, 0, image, spec, options, pixels, labels);
  return cifarSet(options, spec, pixels, labels);
}

function checkedLayout(options: CifarOptions): Layout {
  const spec = layout(options.variant, options.labels ?? 'fine');
  if (options.classNames && options.classNames.length !== spec.classes) {
    throw new Error(`readCifar: ${options.classNames.length} class names for ${spec.classes} classes`);
  }
  return spec;
}

/** The running image count after a file of `size` bytes: it must be a whole number of records, and the total within the limit. */
function countRecords(file: string, size: number, before: number, options: CifarOptions, spec: Layout, maxBytes: number): number {
  const record = spec.labelBytes + PIXELS;
  if (size === 0 || size % record !== 0) {
    const other = options.variant === 'cifar-10' ? 3074 : 3073;
    const hint = size > 0 && size % other === 0 ? `; its size fits ${other}-byte records: is it ${options.variant === 'cifar-10' ? 'CIFAR-100' : 'CIFAR-10'}?` : '';
    throw dataError(file, size - (size % record), `file is ${size} bytes, not a whole number of ${record}-byte records (${spec.describe})${hint}`);
  }
  const total = before + size / record;
  if (total * PIXELS > maxBytes) {
    throw new DataFormatError(`${file}: the batches hold ${total} images so far, ${formatBytes(total * PIXELS)}, more than the ${formatBytes(maxBytes)} one set may hold`, file);
  }
  return total;
}

/** Copies the whole records of `view` (at byte `start` of `file`) from image `image` on; returns the next image index. */
function copyRecords(view: Uint8Array, file: string, start: number, image: number, spec: Layout, options: CifarOptions, pixels: Uint8Array, labels: Int32Array): number {
  const record = spec.labelBytes + PIXELS;
  for (let at = 0; at < view.length; at += record, image++) {
    const label = view[at + spec.labelAt]!;
    if (label >= spec.classes) {
      throw dataError(file, start + at + spec.labelAt, `label ${label}, expected 0..${spec.classes - 1} (${options.variant}${options.variant === 'cifar-100' ? ` ${options.labels ?? 'fine'}` : ''} labels)`);
    }
    labels[image] = label;
    pixels.set(view.subarray(at + spec.labelBytes, at + record), image * PIXELS);
  }
  return image;
}

function cifarSet(options: CifarOptions, spec: Layout, pixels: Uint8Array, labels: Int32Array): ImageSet {
  return {
    name: options.name,
    count: labels.length,
    channels: 3,
    height: 32,
    width: 32,
    pixels,
    labels,
    classes: spec.classes,
    ...(options.classNames ? { classNames: options.classNames } : {}),
  };
}
