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
    };

export type DatasetFormat = FolderLayout['format'];

/** The file names each format needs, for the error that lists them. */
export const EXPECTED_FILES: Readonly<Record<DatasetFormat, string>> = {
  idx: 'train-images-idx3-ubyte, train-labels-idx1-ubyte, t10k-images-idx3-ubyte, t10k-labels-idx1-ubyte (each optionally .gz; EMNIST-style <prefix>-train-images-idx3-ubyte.gz too)',
  'cifar-10': 'data_batch_1.bin .. data_batch_5.bin, test_batch.bin (the folder cifar-10-batches-bin)',
  'cifar-100': 'train.bin, test.bin (the folder cifar-100-binary)',
  'stl-10': 'train_X.bin, train_y.bin, test_X.bin, test_y.bin (the folder stl10_binary)',
};

/** Subfolders upstream archives unpack into; a folder holding one of them is read through it. */
const ARCHIVE_FOLDERS = ['cifar-10-batches-bin', 'cifar-100-binary', 'stl10_binary'];

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

/** The message for a folder with nothing recognisable, listing what would have been. */
export function nothingRecognisable(folder: string): string {
  const formats = Object.entries(EXPECTED_FILES).map(([format, files]) => `${format}: ${files}`);
  return `${folder}: holds no dataset ltssl can read; expected the files of one of: ${formats.join('; ')}`;
}

/**
 * What `folder` holds. Throws a DataFormatError when it is not a folder, holds
 * nothing recognisable, holds an incomplete set (naming the missing files) or
 * holds more than one.
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
  const set = new Set(names);
  const found = [detectIdx(folder, names), detectCifar10(folder, set), detectCifar100(folder, set), detectStl10(folder, set)].filter((f) => f !== undefined);
  const layouts = found.filter((f): f is FolderLayout => typeof f !== 'string');
  const problems = found.filter((f): f is string => typeof f === 'string');
  if (layouts.length === 1 && problems.length === 0) return layouts[0]!;
  if (layouts.length + problems.length > 1) {
    const what = [...layouts.map((l) => `a ${l.format} dataset`), ...problems.map((p) => p.replace(/^holds /, ''))];
    throw new DataFormatError(`${folder}: holds more than one dataset (${what.join('; ')}); give the folder of one`, folder);
  }
  if (problems.length === 1) throw new DataFormatError(`${folder}: ${problems[0]}`, folder);
  const archives = ARCHIVE_FOLDERS.filter((n) => set.has(n));
  if (archives.length === 1) return detectFolder(join(folder, archives[0]!));
  throw new DataFormatError(nothingRecognisable(folder), folder);
}
