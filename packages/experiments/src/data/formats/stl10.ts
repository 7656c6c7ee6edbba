import type { ImageSet } from '../image-set.js';
import { AreaResizer } from '../resize-area.js';
import { MAX_DATA_BYTES, openDataFile, readFully, type OpenedFile } from './bounded-read.js';
import { DataFormatError, dataError, formatBytes } from './data-error.js';

/**
 * STL-10 binary (stl10_binary/): train_X.bin / test_X.bin hold uint8 images of
 * 3 x 96 x 96 with each channel plane stored column-major (MATLAB order), so
 * every plane is transposed on read; train_y.bin / test_y.bin hold one label
 * byte per image, 1..10, mapped to 0..9.
 */
export const STL10_SIDE = 96;
const PLANE = STL10_SIDE * STL10_SIDE;
const IMAGE = 3 * PLANE;
const CLASSES = 10;

export interface Stl10Options {
  /** The set's name ('stl-10/test'). */
  readonly name: string;
  /**
   * Resize every image on load with area averaging (see resize-area.ts), e.g.
   * to 32 x 32 so STL-10 can be the out-of-domain set of a CIFAR-sized model;
   * only the resized set is kept in memory.
   */
  readonly resize?: { readonly height: number; readonly width: number };
  readonly classNames?: readonly string[];
  /** Largest size accepted for the images file, in bytes (default MAX_DATA_BYTES). */
  readonly maxBytes?: number;
}

/** Images per file read: 256 images is 7 MB. */
const IMAGES_PER_READ = 256;

export async function readStl10(imagesFile: string, labelsFile: string, options: Stl10Options): Promise<ImageSet> {
  if (options.classNames && options.classNames.length !== CLASSES) throw new Error(`readStl10: ${options.classNames.length} class names for ${CLASSES} classes`);
  const height = options.resize?.height ?? STL10_SIDE;
  const width = options.resize?.width ?? STL10_SIDE;
  const maxBytes = options.maxBytes ?? MAX_DATA_BYTES;
  const opened: OpenedFile[] = [];
  try {
    const images = await openDataFile(imagesFile);
    opened.push(images);
    const labelsIn = await openDataFile(labelsFile);
    opened.push(labelsIn);
    for (const [file, one] of [[imagesFile, images], [labelsFile, labelsIn]] as const) {
      if (one.gzip) throw dataError(file, 0, 'gzip-compressed; STL-10 binaries are read uncompressed: gunzip the file (or untar the archive) first');
    }
    if (images.size === 0 || images.size % IMAGE !== 0) {
      throw dataError(imagesFile, images.size - (images.size % IMAGE), `file is ${images.size} bytes, not a whole number of ${IMAGE}-byte images (STL-10: 3x96x96 uint8)`);
    }
    const count = images.size / IMAGE;
    if (images.size > maxBytes) {
      throw new DataFormatError(`${imagesFile}: ${count} images, ${formatBytes(images.size)}, more than the ${formatBytes(maxBytes)} one data file may hold`, imagesFile);
    }
    if (labelsIn.size !== count) {
      throw dataError(labelsFile, Math.min(labelsIn.size, count), `file holds ${labelsIn.size} labels, but ${imagesFile} holds ${count} images; the two files must be the same split`);
    }

    const rawLabels = new Uint8Array(count);
    await readFully(labelsIn.handle, rawLabels, 0, labelsFile);
    const labels = new Int32Array(count);
    for (let i = 0; i < count; i++) {
      const label = rawLabels[i]!;
      if (label < 1 || label > CLASSES) throw dataError(labelsFile, i, `label ${label}, expected 1..${CLASSES} (STL-10 labels are 1-based)`);
      labels[i] = label - 1;
    }

    const resizer = options.resize ? new AreaResizer(3, STL10_SIDE, STL10_SIDE, height, width) : undefined;
    const outSize = 3 * height * width;
    const pixels = new Uint8Array(count * outSize);
    const chunk = new Uint8Array(IMAGES_PER_READ * IMAGE);
    const upright = new Uint8Array(IMAGE);
    for (let first = 0; first < count; first += IMAGES_PER_READ) {
      const n = Math.min(IMAGES_PER_READ, count - first);
      const view = chunk.subarray(0, n * IMAGE);
      await readFully(images.handle, view, first * IMAGE, imagesFile);
      for (let k = 0; k < n; k++) {
        const target = resizer ? upright : pixels.subarray((first + k) * outSize, (first + k + 1) * outSize);
        const base = k * IMAGE;
        // Stored plane entry x * 96 + y is pixel (row y, column x).
        for (let c = 0; c < 3; c++) {
          const plane = base + c * PLANE;
          for (let y = 0; y < STL10_SIDE; y++) {
            for (let x = 0; x < STL10_SIDE; x++) target[c * PLANE + y * STL10_SIDE + x] = view[plane + x * STL10_SIDE + y]!;
          }
        }
        resizer?.resize(upright, 0, pixels, (first + k) * outSize);
      }
    }
    return {
      name: options.name,
      count,
      channels: 3,
      height,
      width,
      pixels,
      labels,
      classes: CLASSES,
      ...(options.classNames ? { classNames: options.classNames } : {}),
    };
  } finally {
    await Promise.all(opened.map((o) => o.handle.close()));
  }
}
