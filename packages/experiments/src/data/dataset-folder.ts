import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { DataFormatError } from './formats/data-error.js';

/**
 * Recognises what a dataset folder holds from its file names, as upstream
 * ships them. Only names are looked at here; the readers check the contents.
 */
export type FolderLayout =
  | {
      readonly format: 'idx';
      readonly folder: string;
      /** The file-name prefix ('' for MNIST-style names, 'emnist-balanced' for EMNIST). */
      readonly prefix: string;
      /** EMNIST stores images transposed. */
      readonly transposed: boolean;
      readonly train: { readonly images: string; readonly labels: string };
      readonly test: { readonly images: string; readonly labels: string };
    }
  | { readonly format: 'cifar-10'; readonly folder: string; readonly train: readonly string[]; readonly test: readonly string[]; readonly classNames?: string }
  | {
      readonly format: 'cifar-100';
      readonly folder: string;
      readonly train: readonly string[];
      readonly test: readonly string[];
      readonly fineNames?: string;
      readonly coarseNames?: string;
    }
  | {
      readonly format: 'stl-10';
      readonly folder: string;
      readonly train: { readonly images: string; readonly labels: string };
      readonly test: { readonly images: string; readonly labels: string };
      readonly classNames?: string;
    }
  | {
      /** CIFAR's python version (cifar-10-batches-py, cifar-100-python): pickled batches. */
      readonly format: 'cifar-10-python' | 'cifar-100-python';
      readonly folder: string;
      readonly train: readonly string[];
      readonly test: readonly string[];
      /** batches.meta (CIFAR-10) or meta (CIFAR-100): the class names. */
      readonly meta?: string;
    }
  | {
      /** NumPy arrays: .npy files in a folder, or the arrays of an .npz (then `folder` is the .npz and the paths are its keys). */
      readonly format: 'numpy';
      readonly folder: string;
      readonly npz: boolean;
      /** A split without train_ or test_ in its names (images.npy, labels.npy) is `single`. */
      readonly train?: NumpyPair;
      readonly test?: NumpyPair;
      readonly single?: NumpyPair;
    }
  | {
      /** torchvision's ImageFolder: class folders, under train/ and test/ (or val/), or directly in `folder`. */
      readonly format: 'image-folder';
      readonly folder: string;
      /** The train split's folder (`folder` itself when there is no train/). */
      readonly train: string;
      readonly test?: string;
    };

/** The images and labels arrays of one split: file paths, or keys of an .npz. */
export interface NumpyPair {
  readonly images: string;
  readonly labels: string;
}

export type DatasetFormat = FolderLayout['format'];

/** The file names each format needs, for the error that lists them. */
export const EXPECTED_FILES: Readonly<Record<DatasetFormat, string>> = {
  idx: 'train-images-idx3-ubyte, train-labels-idx1-ubyte, t10k-images-idx3-ubyte, t10k-labels-idx1-ubyte (each optionally .gz; EMNIST-style <prefix>-train-images-idx3-ubyte.gz too)',
  'cifar-10': 'data_batch_1.bin .. data_batch_5.bin, test_batch.bin (the folder cifar-10-batches-bin)',
  'cifar-100': 'train.bin, test.bin (the folder cifar-100-binary)',
  'stl-10': 'train_X.bin, train_y.bin, test_X.bin, test_y.bin (the folder stl10_binary)',
  'cifar-10-python': 'data_batch_1 .. data_batch_5, test_batch, batches.meta (the folder cifar-10-batches-py, or cifar-10-python.tar.gz)',
  'cifar-100-python': 'train, test, meta (the folder cifar-100-python, or cifar-100-python.tar.gz)',
  numpy: 'train_images.npy, train_labels.npy, test_images.npy, test_labels.npy (or x_train / y_train / x_test / y_test; or the same arrays in one .npz)',
  'image-folder': 'train/ and test/ (or val/) folders of class folders of PNG, JPEG, WebP or TIFF images, or class folders alone with --test-data (torchvision ImageFolder)',
};

/** Subfolders upstream archives unpack into; a folder holding one of them is read through it. */
const ARCHIVE_FOLDERS = ['cifar-10-batches-bin', 'cifar-100-binary', 'stl10_binary', 'cifar-10-batches-py', 'cifar-100-python'];

const IDX_NAME = /^(?:(.+)-)?(train|t10k|test)-(images|labels)[-.]idx([13])-ubyte(\.gz)?$/;

interface IdxFiles {
  trainImages?: string;
  trainLabels?: string;
  testImages?: string;
  testLabels?: string;
}

function detectIdx(folder: string, names: readonly string[]): FolderLayout | string | undefined {
  const groups = new Map<string, IdxFiles>();
  for (const name of [...names].sort()) {
    const match = IDX_NAME.exec(name);
    if (!match) continue;
    const [, prefix = '', split, kind, dims, gz] = match;
    if ((kind === 'images') !== (dims === '3')) continue;
    const key = `${split === 'train' ? 'train' : 'test'}${kind === 'images' ? 'Images' : 'Labels'}` as keyof IdxFiles;
    const files = groups.get(prefix) ?? {};
    // Raw and gzipped copies of one file: the raw one reads faster.
    if (files[key] === undefined || !gz) files[key] = name;
    groups.set(prefix, files);
  }
  if (groups.size === 0) return undefined;
  const complete = [...groups].filter(([, f]) => f.trainImages && f.trainLabels && f.testImages && f.testLabels);
  if (complete.length > 1) {
    return `holds several IDX datasets (${complete.map(([p]) => p || '(no prefix)').join(', ')}); move the one you want into a folder of its own`;
  }
  if (complete.length === 0) {
    const [prefix, files] = [...groups][0]!;
    const p = prefix ? `${prefix}-` : '';
    const missing = [
      files.trainImages ? undefined : `${p}train-images-idx3-ubyte`,
      files.trainLabels ? undefined : `${p}train-labels-idx1-ubyte`,
      files.testImages ? undefined : `${p}t10k-images-idx3-ubyte`,
      files.testLabels ? undefined : `${p}t10k-labels-idx1-ubyte`,
    ].filter(Boolean);
    return `holds an incomplete IDX dataset: ${missing.join(', ')} (or .gz) missing`;
  }
  const [prefix, files] = complete[0]!;
  return {
    format: 'idx',
    folder,
    prefix,
    transposed: prefix.startsWith('emnist'),
    train: { images: join(folder, files.trainImages!), labels: join(folder, files.trainLabels!) },
    test: { images: join(folder, files.testImages!), labels: join(folder, files.testLabels!) },
  };
}

function detectCifar10(folder: string, names: ReadonlySet<string>): FolderLayout | string | undefined {
  const batches = [1, 2, 3, 4, 5].map((i) => `data_batch_${i}.bin`);
  const needed = [...batches, 'test_batch.bin'];
  if (!needed.some((n) => names.has(n))) return undefined;
  const missing = needed.filter((n) => !names.has(n));
  if (missing.length > 0) return `holds an incomplete CIFAR-10 dataset: ${missing.join(', ')} missing`;
  return {
    format: 'cifar-10',
    folder,
    train: batches.map((n) => join(folder, n)),
    test: [join(folder, 'test_batch.bin')],
    ...(names.has('batches.meta.txt') ? { classNames: join(folder, 'batches.meta.txt') } : {}),
  };
}

function detectCifar100(folder: string, names: ReadonlySet<string>): FolderLayout | string | undefined {
  if (!names.has('train.bin') && !names.has('test.bin')) return undefined;
  if (!names.has('train.bin') || !names.has('test.bin')) return `holds an incomplete CIFAR-100 dataset: ${names.has('train.bin') ? 'test.bin' : 'train.bin'} missing`;
  return {
    format: 'cifar-100',
    folder,
    train: [join(folder, 'train.bin')],
    test: [join(folder, 'test.bin')],
    ...(names.has('fine_label_names.txt') ? { fineNames: join(folder, 'fine_label_names.txt') } : {}),
    ...(names.has('coarse_label_names.txt') ? { coarseNames: join(folder, 'coarse_label_names.txt') } : {}),
  };
}

function detectStl10(folder: string, names: ReadonlySet<string>): FolderLayout | string | undefined {
  const needed = ['train_X.bin', 'train_y.bin', 'test_X.bin', 'test_y.bin'];
  if (!needed.some((n) => names.has(n))) return undefined;
  const missing = needed.filter((n) => !names.has(n));
  if (missing.length > 0) return `holds an incomplete STL-10 dataset: ${missing.join(', ')} missing`;
  return {
    format: 'stl-10',
    folder,
    train: { images: join(folder, 'train_X.bin'), labels: join(folder, 'train_y.bin') },
    test: { images: join(folder, 'test_X.bin'), labels: join(folder, 'test_y.bin') },
    ...(names.has('class_names.txt') ? { classNames: join(folder, 'class_names.txt') } : {}),
  };
}

function detectCifarPython(folder: string, names: ReadonlySet<string>): FolderLayout | string | undefined {
  const batches = [1, 2, 3, 4, 5].map((i) => `data_batch_${i}`);
  if ([...batches, 'test_batch'].some((n) => names.has(n))) {
    const missing = [...batches, 'test_batch'].filter((n) => !names.has(n));
    if (missing.length > 0) return `holds an incomplete CIFAR-10 python dataset: ${missing.join(', ')} missing`;
    return { format: 'cifar-10-python', folder, train: batches.map((n) => join(folder, n)), test: [join(folder, 'test_batch')], ...(names.has('batches.meta') ? { meta: join(folder, 'batches.meta') } : {}) };
  }
  // CIFAR-100's python files have no extension; 'meta' tells them from anything else called train and test.
  if (!names.has('meta') || (!names.has('train') && !names.has('test'))) return undefined;
  if (!names.has('train') || !names.has('test')) return `holds an incomplete CIFAR-100 python dataset: ${names.has('train') ? 'test' : 'train'} missing`;
  return { format: 'cifar-100-python', folder, train: [join(folder, 'train')], test: [join(folder, 'test')], meta: join(folder, 'meta') };
}

/** The names a split's two arrays go by, most specific first. */
function pairNames(split: 'train' | 'test' | undefined): [string, string][] {
  if (split === undefined) return [['images', 'labels'], ['x', 'y']];
  return [[`${split}_images`, `${split}_labels`], [`x_${split}`, `y_${split}`], [`${split}_x`, `${split}_y`]];
}

/**
 * The arrays of a NumPy dataset from their names (file names without .npy,
 * or an .npz's keys): train and test pairs, or a single split.
 */
export function numpyPairs(keys: ReadonlySet<string>, path: (key: string) => string): { train?: NumpyPair; test?: NumpyPair; single?: NumpyPair } | string {
  const find = (split: 'train' | 'test' | undefined): NumpyPair | string | undefined => {
    for (const [images, labels] of pairNames(split)) {
      if (keys.has(images) && keys.has(labels)) return { images: path(images), labels: path(labels) };
      if (keys.has(images) || keys.has(labels)) return `has ${keys.has(images) ? images : labels} but not ${keys.has(images) ? labels : images}`;
    }
    return undefined;
  };
  const found = { train: find('train'), test: find('test'), single: find(undefined) };
  const problem = Object.values(found).find((f): f is string => typeof f === 'string');
  if (problem) return problem;
  const pairs = Object.fromEntries(Object.entries(found).filter(([, f]) => f !== undefined)) as { train?: NumpyPair; test?: NumpyPair; single?: NumpyPair };
  if (pairs.single && (pairs.train || pairs.test)) return 'has both a split without a name (images, labels) and train or test arrays; keep one naming';
  if (!pairs.train && !pairs.test && !pairs.single) return `has arrays (${[...keys].sort().join(', ')}) but none named as a split's images and labels`;
  return pairs;
}

function detectNumpy(folder: string, names: readonly string[]): FolderLayout | string | undefined {
  const keys = new Set(names.filter((n) => n.endsWith('.npy')).map((n) => n.slice(0, -'.npy'.length)));
  if (keys.size === 0) return undefined;
  const pairs = numpyPairs(keys, (key) => join(folder, `${key}.npy`));
  if (typeof pairs === 'string') return `holds NumPy arrays but no dataset: it ${pairs}; expected ${EXPECTED_FILES.numpy}`;
  return { format: 'numpy', folder, npz: false, ...pairs };
}

/** Subfolders of `folder` (hidden ones skipped). */
async function subfolders(folder: string): Promise<string[]> {
  const entries = await readdir(folder, { withFileTypes: true });
  return entries.filter((e) => !e.name.startsWith('.') && (e.isDirectory() || e.isSymbolicLink())).map((e) => e.name);
}

/** An ImageFolder: train/ with test/ or val/, or class folders directly. The reader checks the classes and images. */
async function detectImageFolder(folder: string): Promise<FolderLayout | undefined> {
  const folders = await subfolders(folder);
  if (folders.length === 0) return undefined;
  if (folders.includes('train')) {
    const test = ['test', 'val'].find((n) => folders.includes(n));
    return { format: 'image-folder', folder, train: join(folder, 'train'), ...(test ? { test: join(folder, test) } : {}) };
  }
  return { format: 'image-folder', folder, train: folder };
}

/**
 * The layout of a folder's file names, as detectFolder finds it (also used on
 * the paths inside an archive, grouped by folder): the layout, a problem,
 * or undefined when nothing is recognised.
 */
export function detectNames(folder: string, names: readonly string[]): FolderLayout | undefined {
  const set = new Set(names);
  const found = [detectIdx(folder, names), detectCifar10(folder, set), detectCifar100(folder, set), detectStl10(folder, set), detectCifarPython(folder, set), detectNumpy(folder, names)].filter((f) => f !== undefined);
  const layouts = found.filter((f): f is FolderLayout => typeof f !== 'string');
  const problems = found.filter((f): f is string => typeof f === 'string');
  if (layouts.length === 1 && problems.length === 0) return layouts[0]!;
  if (layouts.length + problems.length > 1) {
    const what = [...layouts.map((l) => `a ${l.format} dataset`), ...problems.map((p) => p.replace(/^holds /, ''))];
    throw new DataFormatError(`${folder}: holds more than one dataset (${what.join('; ')}); give the folder of one`, folder);
  }
  if (problems.length === 1) throw new DataFormatError(`${folder}: ${problems[0]}`, folder);
  return undefined;
}

/** The message for a folder with nothing recognisable, listing what would have been. */
export function nothingRecognisable(folder: string): string {
  const formats = Object.entries(EXPECTED_FILES).map(([format, files]) => `${format}: ${files}`);
  return `${folder}: holds no dataset ltssl can read; expected the files of one of: ${formats.join('; ')}`;
}

/**
 * What `folder` holds. Throws a DataFormatError when it is not a folder, holds
 * nothing recognisable, holds an incomplete set (naming the missing files) or
 * holds more than one. A folder of nothing but folders is an ImageFolder.
 */
export async function detectFolder(folder: string): Promise<FolderLayout> {
  let names: string[];
  try {
    if (!(await stat(folder)).isDirectory()) throw new DataFormatError(`${folder}: not a folder; give the folder that holds the dataset's files`, folder);
    names = await readdir(folder);
  } catch (error) {
    if (error instanceof DataFormatError) throw error;
    throw new DataFormatError(`${folder}: cannot read the folder: ${(error as Error).message}`, folder, undefined, { cause: error });
  }
  const layout = detectNames(folder, names);
  if (layout) return layout;
  const set = new Set(names);
  const archives = ARCHIVE_FOLDERS.filter((n) => set.has(n));
  if (archives.length === 1) return detectFolder(join(folder, archives[0]!));
  const images = await detectImageFolder(folder);
  if (images) return images;
  throw new DataFormatError(nothingRecognisable(folder), folder);
}
