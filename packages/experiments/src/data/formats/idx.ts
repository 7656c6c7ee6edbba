import type { ImageSet } from '../image-set.js';
import { dataError } from './data-error.js';
import { readDeclaredFile, type Declared } from './bounded-read.js';

/**
 * IDX, the format of MNIST, Fashion-MNIST, KMNIST and EMNIST: a big-endian
 * header (magic 0x0000TTDD: type 08 = unsigned byte, DD dimensions, then one
 * uint32 per dimension) followed by the values, raw or gzipped.
 */
export const IDX_IMAGES_MAGIC = 0x00000803;
export const IDX_LABELS_MAGIC = 0x00000801;

/** Largest image side accepted; a larger one is a damaged header, not an image. */
export const IDX_MAX_SIDE = 4096;

export interface IdxImages {
  readonly count: number;
  readonly height: number;
  readonly width: number;
  /** count x height x width, row-major. */
  readonly pixels: Uint8Array;
}

export interface IdxReadOptions {
  /**
   * EMNIST stores each image transposed (column-major); true transposes it
   * back, so a declared rows x cols image comes out cols x rows.
   */
  readonly transposed?: boolean;
  /** Largest total size accepted, in bytes (default MAX_DATA_BYTES). */
  readonly maxBytes?: number;
}

function uint32(bytes: Uint8Array, offset: number): number {
  return ((bytes[offset]! << 24) | (bytes[offset + 1]! << 16) | (bytes[offset + 2]! << 8) | bytes[offset + 3]!) >>> 0;
}

const hex = (value: number): string => `0x${value.toString(16).padStart(8, '0')}`;

function checkMagic(file: string, header: Uint8Array, expected: number, kind: string): void {
  const magic = uint32(header, 0);
  if (magic === expected) return;
  let hint = '';
  if (magic === IDX_IMAGES_MAGIC) hint = '; this is an IDX images file';
  else if (magic === IDX_LABELS_MAGIC) hint = '; this is an IDX labels file';
  else if (header[0] !== 0 || header[1] !== 0) hint = '; not an IDX file';
  throw dataError(file, 0, `magic ${hex(magic)}, expected ${hex(expected)} (${kind})${hint}`);
}

/** The fixed headers, for readDeclaredFile. */
export const IDX_IMAGES_HEADER = { headerBytes: 16, headerName: 'IDX images header' } as const;
export const IDX_LABELS_HEADER = { headerBytes: 8, headerName: 'IDX labels header' } as const;

export interface IdxImagesHeader {
  readonly count: number;
  readonly rows: number;
  readonly cols: number;
}

/** Checks an IDX images header (magic, count, sides) and returns its dimensions. */
export function parseIdxImagesHeader(file: string, header: Uint8Array): IdxImagesHeader {
  checkMagic(file, header, IDX_IMAGES_MAGIC, 'IDX images');
  const count = uint32(header, 4);
  const rows = uint32(header, 8);
  const cols = uint32(header, 12);
  if (count < 1) throw dataError(file, 4, 'image count 0, expected at least 1');
  if (rows < 1 || rows > IDX_MAX_SIDE) throw dataError(file, 8, `rows ${rows}, expected 1..${IDX_MAX_SIDE}`);
  if (cols < 1 || cols > IDX_MAX_SIDE) throw dataError(file, 12, `columns ${cols}, expected 1..${IDX_MAX_SIDE}`);
  return { count, rows, cols };
}

/** The size an IDX images header declares, for readDeclaredFile. */
export function declareIdxImages(file: string): (header: Uint8Array) => Declared {
  return (header) => {
    const { count, rows, cols } = parseIdxImagesHeader(file, header);
    return { bytes: 16 + count * rows * cols, what: `${count} images of ${rows}x${cols}`, countOffset: 4 };
  };
}

/** The size an IDX labels header declares, for readDeclaredFile. */
export function declareIdxLabels(file: string): (header: Uint8Array) => Declared {
  return (header) => {
    checkMagic(file, header, IDX_LABELS_MAGIC, 'IDX labels');
    const count = uint32(header, 4);
    if (count < 1) throw dataError(file, 4, 'label count 0, expected at least 1');
    return { bytes: 8 + count, what: `${count} labels`, countOffset: 4 };
  };
}

/** Reads an IDX images file (magic 0x00000803): count x rows x cols unsigned bytes. */
export async function readIdxImages(file: string, options: IdxReadOptions = {}): Promise<IdxImages> {
  const { header, body } = await readDeclaredFile(file, { ...IDX_IMAGES_HEADER, maxBytes: options.maxBytes, checkMagic: (prefix) => checkMagic(file, prefix, IDX_IMAGES_MAGIC, 'IDX images') }, declareIdxImages(file));
  const { count, rows, cols } = parseIdxImagesHeader(file, header);
  if (!options.transposed) return { count, height: rows, width: cols, pixels: body };
  // Stored image i is a rows x cols matrix S with S[x][y] = pixel (row y, column x).
  const pixels = new Uint8Array(body.length);
  const size = rows * cols;
  for (let i = 0; i < count; i++) {
    const base = i * size;
    for (let y = 0; y < cols; y++) {
      for (let x = 0; x < rows; x++) pixels[base + y * rows + x] = body[base + x * cols + y]!;
    }
  }
  return { count, height: cols, width: rows, pixels };
}

/** Reads an IDX labels file (magic 0x00000801): count unsigned bytes. */
export async function readIdxLabels(file: string, options: Pick<IdxReadOptions, 'maxBytes'> = {}): Promise<Uint8Array> {
  return (await readDeclaredFile(file, { ...IDX_LABELS_HEADER, maxBytes: options.maxBytes, checkMagic: (prefix) => checkMagic(file, prefix, IDX_LABELS_MAGIC, 'IDX labels') }, declareIdxLabels(file))).body;
}

export interface IdxSetOptions extends IdxReadOptions {
  /** The set's name ('fashion-mnist/train'). */
  readonly name: string;
  /** Number of classes; a label outside [0, classes) is an error. Default: classNames' length, else the largest label + 1. */
  readonly classes?: number;
  readonly classNames?: readonly string[];
}

/**
 * Reads a pair of IDX files (images and labels of one split) into one
 * grayscale ImageSet; the two must agree on the count.
 */
export async function readIdxSet(imagesFile: string, labelsFile: string, options: IdxSetOptions): Promise<ImageSet> {
  const images = await readIdxImages(imagesFile, options);
  const rawLabels = await readIdxLabels(labelsFile, options);
  if (rawLabels.length !== images.count) {
    throw dataError(labelsFile, 4, `${rawLabels.length} labels, but ${imagesFile} holds ${images.count} images; the two files must be the same split`);
  }
  // Class names fix the number of classes too, so a split that lacks the last class keeps it.
  let classes = options.classes ?? options.classNames?.length;
  if (options.classNames && options.classNames.length !== classes) {
    throw new Error(`readIdxSet: ${options.classNames.length} class names for ${classes} classes`);
  }
  if (classes === undefined) {
    classes = 0;
    for (const label of rawLabels) classes = Math.max(classes, label + 1);
  } else {
    for (let i = 0; i < rawLabels.length; i++) {
      if (rawLabels[i]! >= classes) throw dataError(labelsFile, 8 + i, `label ${rawLabels[i]}, expected 0..${classes - 1} (${classes} classes)`);
    }
  }
  return {
    name: options.name,
    count: images.count,
    channels: 1,
    height: images.height,
    width: images.width,
    pixels: images.pixels,
    labels: Int32Array.from(rawLabels),
    classes,
    ...(options.classNames ? { classNames: options.classNames } : {}),
  };
}
