import { stat } from 'node:fs/promises';
import { basename, posix } from 'node:path';
import { detectFolder, detectNames, numpyPairs, type FolderLayout } from './dataset-folder.js';
import { DataFormatError } from './formats/data-error.js';
import type { NdArray } from './formats/nd-array.js';
import { readNpz } from './formats/npz.js';
import { isTarballName, readTarball } from './formats/tarball.js';
import type { ArchiveEntries } from './read-splits.js';

/**
 * What a dataset path holds, a folder or a single file: a folder's layout
 * (detectFolder), CIFAR's archives as downloaded (cifar-10-binary.tar.gz,
 * cifar-10-python.tar.gz, cifar-100-binary.tar.gz, cifar-100-python.tar.gz:
 * read without unpacking), or an .npz of arrays.
 */

export interface DatasetSource {
  readonly layout: FolderLayout;
  /** Set when the layout's paths are entries of an archive. */
  readonly archive?: ArchiveEntries;
  /** Set for an .npz: its arrays by key. */
  readonly npzArrays?: ReadonlyMap<string, NdArray>;
}

/** The archive entries the CIFAR layouts are made of; every other entry is read past. */
const ARCHIVE_NAMES = new Set([
  ...[1, 2, 3, 4, 5].flatMap((i) => [`data_batch_${i}`, `data_batch_${i}.bin`]),
  'test_batch',
  'test_batch.bin',
  'batches.meta',
  'batches.meta.txt',
  'train',
  'test',
  'meta',
  'train.bin',
  'test.bin',
  'fine_label_names.txt',
  'coarse_label_names.txt',
]);

const ARCHIVES = 'cifar-10-binary.tar.gz, cifar-10-python.tar.gz, cifar-100-binary.tar.gz or cifar-100-python.tar.gz';

/** Options the file formats take. */
export interface DatasetSourceOptions {
  /** Largest inflated archive (default MAX_DATA_BYTES). */
  readonly maxBytes?: number;
}

export async function openDatasetSource(path: string, options: DatasetSourceOptions = {}): Promise<DatasetSource> {
  let isFile: boolean;
  try {
    isFile = (await stat(path)).isFile();
  } catch (error) {
    throw new DataFormatError(`${path}: cannot read it: ${(error as Error).message}`, path, undefined, { cause: error });
  }
  if (!isFile) return { layout: await detectFolder(path) };
  if (isTarballName(path)) return openTarball(path, options);
  if (/\.npz$/i.test(path)) {
    const arrays = await readNpz(path, options);
    const pairs = numpyPairs(new Set(arrays.keys()), (key) => key);
    if (typeof pairs === 'string') throw new DataFormatError(`${path}: ${pairs}; name the arrays train_images, train_labels, test_images, test_labels (or x_train, y_train, x_test, y_test) when saving: numpy.savez(f, train_images=..., ...)`, path);
    return { layout: { format: 'numpy', folder: path, npz: true, ...pairs }, npzArrays: arrays };
  }
  if (/\.npy$/i.test(path)) {
    throw new DataFormatError(`${path}: a .npy file holds one array; give the folder that holds the images and labels arrays (train_images.npy, train_labels.npy, test_images.npy, test_labels.npy), or an .npz of them`, path);
  }
  throw new DataFormatError(`${path}: not a dataset file ltssl reads; give a folder, one of CIFAR's archives as downloaded (${ARCHIVES}), or an .npz of arrays`, path);
}

async function openTarball(file: string, options: DatasetSourceOptions): Promise<DatasetSource> {
  const { files, names } = await readTarball(file, (entry) => ARCHIVE_NAMES.has(basename(entry)), options);
  const entries = new Map([...files].map(([name, bytes]) => [posix.normalize(name), bytes]));
  const folders = new Map<string, string[]>();
  for (const name of entries.keys()) {
    const dir = posix.dirname(name);
    folders.set(dir, [...(folders.get(dir) ?? []), posix.basename(name)]);
  }
  const layouts: FolderLayout[] = [];
  for (const [dir, inside] of folders) {
    const layout = detectNamesIn(file, dir, inside);
    if (layout) layouts.push(layout);
  }
  if (layouts.length === 1) return { layout: layouts[0]!, archive: { file, entries } };
  if (layouts.length > 1) throw new DataFormatError(`${file}: holds more than one dataset (in ${layouts.map((l) => l.folder).join(', ')}); unpack it and give the folder of one`, file);
  const shown = names.slice(0, 8).join(', ') + (names.length > 8 ? ', ...' : '');
  throw new DataFormatError(`${file}: holds no dataset ltssl reads from an archive (its files: ${shown || 'none'}); expected ${ARCHIVES} as downloaded; for another archive, unpack it and give the folder`, file);
}

/** detectNames on the paths of one folder of an archive, with the archive named in its errors. */
function detectNamesIn(file: string, dir: string, names: readonly string[]): FolderLayout | undefined {
  try {
    return detectNames(dir === '.' ? '' : dir, names);
  } catch (error) {
    if (error instanceof DataFormatError) throw new DataFormatError(`${file}: ${error.message}`, file, undefined, { cause: error });
    throw error;
  }
}
