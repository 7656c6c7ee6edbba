import type { Dirent } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { extname, join, relative, sep } from 'node:path';
import sharp from 'sharp';
import type { ImageSet } from '../image-set.js';
import { describeFsError, MAX_DATA_BYTES } from './bounded-read.js';
import { DataFormatError, formatBytes } from './data-error.js';

/**
 * torchvision's ImageFolder layout: one subfolder per class, its images in
 * it (at any depth). Classes are numbered by their folder names sorted (as
 * torchvision's find_classes does), and the images of a class taken in the
 * order torchvision's make_dataset walks them (folders sorted by path, files
 * by name), so image i here is sample i of torchvision's ImageFolder.
 * Images are decoded with sharp (libvips) to RGB as torchvision's default
 * loader does (PIL's convert('RGB'): alpha dropped, grayscale repeated over
 * the three channels, no EXIF rotation), optionally resized.
 */

/** Decoded here. */
export const IMAGE_EXTENSIONS = ['.png', '.jpg', '.jpeg', '.webp', '.tif', '.tiff'] as const;
/** torchvision reads these too; a folder holding one is refused rather than numbered differently from torchvision. */
const UNDECODED_EXTENSIONS = ['.bmp', '.ppm', '.pgm'];

/** One image file of a split: its path relative to the split folder, class, and stamp for the cache key. */
export interface ImageFile {
  readonly path: string;
  readonly label: number;
  readonly bytes: number;
  readonly mtimeMs: number;
}

/** What a split folder holds, before decoding. */
export interface ImageFolderScan {
  readonly folder: string;
  readonly classNames: readonly string[];
  readonly files: readonly ImageFile[];
}

async function entries(folder: string): Promise<Dirent[]> {
  try {
    return await readdir(folder, { withFileTypes: true });
  } catch (error) {
    throw new DataFormatError(`${folder}: cannot read the folder: ${describeFsError(error)}`, folder, undefined, { cause: error });
  }
}

/** Whether an entry is a folder, following symbolic links as torchvision does. */
async function isFolder(path: string, entry: Dirent): Promise<boolean> {
  if (entry.isDirectory()) return true;
  if (!entry.isSymbolicLink()) return false;
  return (await stat(path).catch(() => undefined))?.isDirectory() ?? false;
}

/** The class folders of a split folder, sorted (hidden ones skipped). */
export async function classFolders(folder: string): Promise<string[]> {
  const names: string[] = [];
  for (const entry of await entries(folder)) {
    if (!entry.name.startsWith('.') && (await isFolder(join(folder, entry.name), entry))) names.push(entry.name);
  }
  return names.sort();
}

/** The image files under `dir`, in torchvision's order: folders by path, files by name within each. */
async function walk(dir: string, out: { dir: string; name: string }[]): Promise<void> {
  const here = (await entries(dir)).filter((e) => !e.name.startsWith('.'));
  for (const entry of here) {
    const path = join(dir, entry.name);
    if (await isFolder(path, entry)) await walk(path, out);
    else out.push({ dir, name: entry.name });
  }
}

/**
 * The classes and image files of one split folder. `classNames` fixes the
 * classes (the test split takes the train split's); a class folder not
 * among them, or one without images, is an error naming it.
 */
export async function scanImageFolder(folder: string, classNames?: readonly string[]): Promise<ImageFolderScan> {
  const found = await classFolders(folder);
  if (found.length === 0) throw new DataFormatError(`${folder}: no class folders; an ImageFolder holds one folder of images per class (torchvision's layout)`, folder);
  const names = classNames ?? found;
  const files: ImageFile[] = [];
  for (const name of found) {
    const label = names.indexOf(name);
    if (label < 0) throw new DataFormatError(`${join(folder, name)}: class '${name}' is not a class of the train split (${names.join(', ')}); rename or remove the folder`, folder);
    const listed: { dir: string; name: string }[] = [];
    await walk(join(folder, name), listed);
    listed.sort((a, b) => (a.dir === b.dir ? (a.name < b.name ? -1 : 1) : a.dir < b.dir ? -1 : 1));
    let images = 0;
    for (const { dir, name: file } of listed) {
      const ext = extname(file).toLowerCase();
      const path = join(dir, file);
      if (UNDECODED_EXTENSIONS.includes(ext)) throw new DataFormatError(`${path}: ${ext} images are not read by ltssl (PNG, JPEG, WebP and TIFF are); convert it to PNG, e.g. with PIL: Image.open(f).save(f[:-4] + '.png')`, path);
      if (!(IMAGE_EXTENSIONS as readonly string[]).includes(ext)) continue;
      const stats = await stat(path);
      files.push({ path: relative(folder, path).split(sep).join('/'), label, bytes: stats.size, mtimeMs: stats.mtimeMs });
      images++;
    }
    if (images === 0) {
      throw new DataFormatError(`${join(folder, name)}: class folder with no images (${IMAGE_EXTENSIONS.join(', ')}); add images or remove the folder (a folder of folders is read as an ImageFolder: if it is not one, give the folder of the dataset's files)`, folder);
    }
  }
  return { folder, classNames: names, files };
}

export interface DecodeOptions {
  /** The set's name ('my-data/train'). */
  readonly name: string;
  /** Every image resized to this (stretched, antialiased linear filter); default: all must share one size. */
  readonly resize?: { readonly height: number; readonly width: number };
  readonly maxBytes?: number;
}

/** One image's RGB pixels, HWC as sharp gives them. */
async function decode(file: string, resize: DecodeOptions['resize']): Promise<{ data: Buffer; height: number; width: number }> {
  try {
    let image = sharp(file, { failOn: 'error' }).removeAlpha().toColourspace('srgb');
    if (resize) image = image.resize(resize.width, resize.height, { fit: 'fill', kernel: 'linear' });
    const { data, info } = await image.raw().toBuffer({ resolveWithObject: true });
    if (info.channels !== 3) throw new Error(`${info.channels} channels after conversion to RGB`);
    return { data, height: info.height, width: info.width };
  } catch (error) {
    throw new DataFormatError(`${file}: cannot decode the image (sharp: ${(error as Error).message.trim()}); the file is damaged or not an image: replace or remove it`, file, undefined, { cause: error });
  }
}

/**
 * Decodes every image of a scan into one RGB ImageSet (NCHW). Without
 * `resize` all images must have the first one's size; the total is checked
 * against the limit before the pixels are allocated.
 */
export async function decodeImageFolder(scan: ImageFolderScan, options: DecodeOptions): Promise<ImageSet> {
  const { files } = scan;
  const maxBytes = options.maxBytes ?? MAX_DATA_BYTES;
  const at = (i: number): string => join(scan.folder, files[i]!.path);
  const first = await decode(at(0), options.resize);
  const { height, width } = first;
  const size = 3 * height * width;
  if (files.length * size > maxBytes) {
    throw new DataFormatError(`${scan.folder}: ${files.length} images of 3 x ${height} x ${width} are ${formatBytes(files.length * size)}, more than the ${formatBytes(maxBytes)} one set may hold; resize them smaller on load (--resize)`, scan.folder);
  }
  const pixels = new Uint8Array(files.length * size);
  const labels = Int32Array.from(files, (f) => f.label);
  const place = (i: number, image: { data: Buffer; height: number; width: number }): void => {
    if (image.height !== height || image.width !== width) {
      throw new DataFormatError(`${at(i)}: ${image.height}x${image.width} pixels, but ${at(0)} is ${height}x${width}; give every image one size, or resize them on load (--resize ${height}x${width})`, at(i));
    }
    // HWC -> CHW
    const plane = height * width;
    const base = i * size;
    for (let p = 0; p < plane; p++) for (let c = 0; c < 3; c++) pixels[base + c * plane + p] = image.data[p * 3 + c]!;
  };
  place(0, first);
  // sharp decodes on libuv's thread pool: keep a few images in flight. The error reported is the first bad
  // file in folder order, whichever decode finishes first: files are handed out in order, none past a
  // known failure, and an earlier failure replaces a later one.
  let next = 1;
  let failed: { readonly i: number; readonly error: unknown } | undefined;
  const worker = async (): Promise<void> => {
    while (next < files.length && (failed === undefined || next < failed.i)) {
      const i = next++;
      try {
        place(i, await decode(at(i), options.resize));
      } catch (error) {
        if (failed === undefined || i < failed.i) failed = { i, error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(availableParallelism() * 2, 16) }, worker));
  if (failed !== undefined) throw failed.error;
  return { name: options.name, count: files.length, channels: 3, height, width, pixels, labels, classes: scan.classNames.length, classNames: scan.classNames };
}
