import { readFile, stat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import type { FolderLayout, NumpyPair } from './dataset-folder.js';
import { MAX_DATA_BYTES, readWholeFile } from './formats/bounded-read.js';
import { readCifar, readCifarBytes, type Cifar100Labels } from './formats/cifar.js';
import { readCifarPython, readCifarPythonNames } from './formats/cifar-python.js';
import { DataFormatError } from './formats/data-error.js';
import { readIdxSet } from './formats/idx.js';
import { cachedImageFolder, imageFolderKey } from './formats/image-folder-cache.js';
import { scanImageFolder } from './formats/image-folder.js';
import type { NdArray } from './formats/nd-array.js';
import { readNpy } from './formats/npy.js';
import { numpySplit } from './formats/numpy-images.js';
import { readStl10 } from './formats/stl10.js';
import type { ImageSet } from './image-set.js';

/**
 * Reads the splits of a recognised layout, from disk or from the entries of
 * an archive already in memory. A layout with one unnamed split (an
 * ImageFolder of class folders, images.npy and labels.npy) gives it as
 * `single`: the caller decides whether it is the train or the test split.
 */

/** Where a layout's paths point: files on disk, or the entries of an archive (paths inside it). */
export interface ArchiveEntries {
  readonly file: string;
  readonly entries: ReadonlyMap<string, Uint8Array>;
}

export interface ReadSplitsOptions {
  /** The dataset's name, for the sets' names ('my-data/train'). */
  readonly name: string;
  readonly cifar100Labels?: Cifar100Labels;
  readonly resize?: { readonly height: number; readonly width: number };
  readonly transposed?: boolean;
  /** Class names known for the dataset (its metadata); an ImageFolder's test split takes its train split's. */
  readonly classNames?: readonly string[];
  /** Where decoded ImageFolder images are cached. */
  readonly cacheDir?: string;
  /** What a layout's one unnamed split is read as, for its name and messages (default 'train'). */
  readonly singleAs?: 'train' | 'test';
  /** The arrays of an .npz, when the layout is one. */
  readonly npzArrays?: ReadonlyMap<string, NdArray>;
  readonly archive?: ArchiveEntries;
}

export interface Splits {
  readonly train?: ImageSet;
  readonly test?: ImageSet;
  readonly single?: ImageSet;
  /** The files (or archive entries) read. */
  readonly files: readonly string[];
  /** ImageFolder: each image's path relative to the dataset folder, index-aligned with the split read as train or single. */
  readonly imageFiles?: readonly string[];
  /** What the train split's contents depend on (sizes and times, or the ImageFolder key): keys the normalisation cache. */
  readonly stamp: string;
  /** ImageFolder: how the images were obtained, in words. */
  readonly cache?: string;
}

/** Both splits get the larger class count, so a class missing from one split still exists in it. */
export function sameClasses(train: ImageSet, test: ImageSet): [ImageSet, ImageSet] {
  const classes = Math.max(train.classes, test.classes);
  return [{ ...train, classes }, { ...test, classes }];
}

/** One class name a line (CIFAR's batches.meta.txt, STL-10's class_names.txt); blank lines dropped. */
function classNamesOf(text: string, file: string, classes: number): string[] {
  const names = text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l.length > 0);
  if (names.length !== classes) throw new DataFormatError(`${file}: ${names.length} class names, expected ${classes} (one a line)`, file);
  return names;
}

/** Sizes and modification times of files on disk. */
async function stampOf(files: readonly string[]): Promise<string> {
  const stamps = await Promise.all(
    files.map(async (f) => {
      const { size, mtimeMs } = await stat(f);
      return `${f}:${size}:${mtimeMs}`;
    }),
  );
  return stamps.join('|');
}

export async function readSplits(layout: FolderLayout, options: ReadSplitsOptions): Promise<Splits> {
  const { name, archive } = options;
  const where = (path: string): string => (archive ? `${archive.file}: ${path}` : path);
  const bytesOf = async (path: string): Promise<Uint8Array> => {
    if (!archive) return readWholeFile(path);
    const bytes = archive.entries.get(path);
    if (!bytes) throw new DataFormatError(`${where(path)}: not in the archive`, archive.file);
    return bytes;
  };
  const stamp = (files: readonly string[]): Promise<string> => (archive ? stampOf([archive.file]) : stampOf(files));
  switch (layout.format) {
    case 'idx': {
      const transposed = options.transposed ?? layout.transposed;
      const read = (split: 'train' | 'test'): Promise<ImageSet> =>
        readIdxSet(layout[split].images, layout[split].labels, { name: `${name}/${split}`, transposed, ...(options.classNames ? { classNames: options.classNames } : {}) });
      const [train, test] = sameClasses(await read('train'), await read('test'));
      return { train, test, files: [layout.train.images, layout.train.labels, layout.test.images, layout.test.labels], stamp: await stamp([layout.train.images]) };
    }
    case 'cifar-10':
    case 'cifar-100': {
      const labels = options.cifar100Labels ?? 'fine';
      const namesFile = layout.format === 'cifar-10' ? layout.classNames : labels === 'fine' ? layout.fineNames : layout.coarseNames;
      const count = layout.format === 'cifar-10' ? 10 : labels === 'fine' ? 100 : 20;
      const names = namesFile ? classNamesOf(new TextDecoder().decode(await bytesOf(namesFile)), where(namesFile), count) : options.classNames;
      const read = async (split: 'train' | 'test'): Promise<ImageSet> => {
        const cifar = { name: `${name}/${split}`, variant: layout.format, labels, ...(names ? { classNames: names } : {}) };
        if (!archive) return readCifar(layout[split], cifar);
        return readCifarBytes(await Promise.all(layout[split].map(async (path) => ({ name: where(path), bytes: await bytesOf(path) }))), cifar);
      };
      return { train: await read('train'), test: await read('test'), files: [...layout.train, ...layout.test].map(where), stamp: await stamp(layout.train) };
    }
    case 'cifar-10-python':
    case 'cifar-100-python': {
      const variant = layout.format === 'cifar-10-python' ? 'cifar-10' : 'cifar-100';
      const labels = options.cifar100Labels ?? 'fine';
      const names = layout.meta ? readCifarPythonNames({ name: where(layout.meta), bytes: await bytesOf(layout.meta) }, variant, labels) : options.classNames;
      const read = async (split: 'train' | 'test'): Promise<ImageSet> => {
        const batches = await Promise.all(layout[split].map(async (path) => ({ name: where(path), bytes: await bytesOf(path) })));
        return readCifarPython(batches, { name: `${name}/${split}`, variant, labels, maxBytes: MAX_DATA_BYTES, ...(names ? { classNames: names } : {}) });
      };
      return { train: await read('train'), test: await read('test'), files: [...layout.train, ...layout.test].map(where), stamp: await stamp(layout.train) };
    }
    case 'stl-10': {
      const names = layout.classNames ? classNamesOf(await readFile(layout.classNames, 'utf8'), layout.classNames, 10) : options.classNames;
      const read = (split: 'train' | 'test'): Promise<ImageSet> =>
        readStl10(layout[split].images, layout[split].labels, { name: `${name}/${split}`, ...(options.resize ? { resize: options.resize } : {}), ...(names ? { classNames: names } : {}) });
      return { train: await read('train'), test: await read('test'), files: [layout.train.images, layout.train.labels, layout.test.images, layout.test.labels], stamp: await stamp([layout.train.images]) };
    }
    case 'numpy':
      return readNumpy(layout, options);
    case 'image-folder':
      return readImageFolder(layout, options);
  }
}

async function readNumpy(layout: Extract<FolderLayout, { format: 'numpy' }>, options: ReadSplitsOptions): Promise<Splits> {
  const label = (path: string): string => (layout.npz ? `${layout.folder}: ${path}.npy` : path);
  const array = async (path: string): Promise<NdArray> => {
    if (!layout.npz) return readNpy(await readWholeFile(path), path);
    const found = options.npzArrays?.get(path);
    if (!found) throw new DataFormatError(`${label(path)}: not in the archive`, layout.folder);
    return found;
  };
  const read = async (pair: NumpyPair | undefined, split: string): Promise<ImageSet | undefined> =>
    pair ? numpySplit(await array(pair.images), await array(pair.labels), { images: label(pair.images), labels: label(pair.labels), set: `${options.name}/${split}` }) : undefined;
  let train = await read(layout.train, 'train');
  let test = await read(layout.test, 'test');
  const single = await read(layout.single, options.singleAs ?? 'train');
  if (train && test) [train, test] = sameClasses(train, test);
  const pairs = [layout.train, layout.test, layout.single].filter((p): p is NumpyPair => p !== undefined);
  const files = layout.npz ? [layout.folder] : pairs.flatMap((p) => [p.images, p.labels]);
  const first = layout.train ?? layout.single ?? layout.test!;
  return { ...(train ? { train } : {}), ...(test ? { test } : {}), ...(single ? { single } : {}), files, stamp: await stampOf(layout.npz ? [layout.folder] : [first.images, first.labels]) };
}

async function readImageFolder(layout: Extract<FolderLayout, { format: 'image-folder' }>, options: ReadSplitsOptions): Promise<Splits> {
  const cacheDir = options.cacheDir ?? `${layout.folder}.ltssl-cache`;
  const notes: string[] = [];
  const read = async (folder: string, split: string, classNames?: readonly string[]) => {
    const scan = await scanImageFolder(folder, classNames);
    const decode = { name: `${options.name}/${split}`, ...(options.resize ? { resize: options.resize } : {}) };
    const { set, decoded, cacheFile } = await cachedImageFolder(scan, decode, cacheDir);
    notes.push(`${split}: ${decoded ? `decoded ${set.count} images with sharp` : `${set.count} images read from the cache`}${cacheFile ? ` (${cacheFile})` : ' (not cached: the cache folder cannot be written)'}`);
    const files = scan.files.map((f) => relative(layout.folder, join(folder, f.path)).split(sep).join('/'));
    return { set, scan, files };
  };
  const single = layout.train === layout.folder;
  const train = await read(layout.train, single ? (options.singleAs ?? 'train') : 'train', options.classNames);
  const test = layout.test ? await read(layout.test, 'test', train.scan.classNames) : undefined;
  return {
    ...(single ? { single: train.set } : { train: train.set }),
    ...(test ? { test: test.set } : {}),
    files: [layout.train, ...(layout.test ? [layout.test] : [])],
    imageFiles: train.files,
    stamp: imageFolderKey(train.scan, options.resize),
    cache: notes.join('; '),
  };
}
