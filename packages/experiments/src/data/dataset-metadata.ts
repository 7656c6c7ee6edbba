import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DataFormatError } from './formats/data-error.js';
import type { Normalization } from './normalization.js';

/**
 * `ltssl-dataset.json`: what a packed dataset folder says about itself (the
 * embedded Fashion-MNIST subset has one; tools/datasets/pack-fashion-mnist.mjs
 * writes it). A folder with this file uses its stored normalisation
 * constants and class names instead of computing them, and every listed file
 * is checked against its sha256 before it is read.
 */
export const METADATA_FILE = 'ltssl-dataset.json';

export interface DatasetMetadata {
  readonly name: string;
  readonly title: string;
  readonly license: string;
  readonly classNames: readonly string[];
  readonly splits: Readonly<Record<'train' | 'test', { readonly images: string; readonly labels: string; readonly count: number; readonly classCounts: readonly number[] }>>;
  readonly normalization: Normalization & { readonly computedFrom: string };
  readonly provenance: {
    readonly upstream: string;
    readonly source: string;
    readonly subset: string;
    readonly packer: string;
  };
  readonly files: Readonly<Record<string, { readonly bytes: number; readonly sha256: string }>>;
}

type Check = (value: unknown) => boolean;
const isString: Check = (v) => typeof v === 'string';
const isNumber: Check = (v) => typeof v === 'number' && Number.isFinite(v);
const arrayOf = (item: Check): Check => (v) => Array.isArray(v) && v.every(item);
const objectWith =
  (fields: Record<string, Check>): Check =>
  (v) =>
    typeof v === 'object' && v !== null && Object.entries(fields).every(([k, check]) => check((v as Record<string, unknown>)[k]));
const recordOf = (item: Check): Check => (v) => typeof v === 'object' && v !== null && Object.values(v).every(item);

const split = objectWith({ images: isString, labels: isString, count: isNumber, classCounts: arrayOf(isNumber) });
const FIELDS: Record<string, Check> = {
  name: isString,
  title: isString,
  license: isString,
  classNames: arrayOf(isString),
  splits: objectWith({ train: split, test: split }),
  normalization: objectWith({ mean: arrayOf(isNumber), std: arrayOf(isNumber), computedFrom: isString }),
  provenance: objectWith({ upstream: isString, source: isString, subset: isString, packer: isString }),
  files: recordOf(objectWith({ bytes: isNumber, sha256: isString })),
};

/** The folder's metadata, or undefined when it has none; a malformed file is a DataFormatError naming the field. */
export async function readDatasetMetadata(folder: string): Promise<DatasetMetadata | undefined> {
  const file = join(folder, METADATA_FILE);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as { code?: string }).code === 'ENOENT') return undefined;
    throw new DataFormatError(`${file}: cannot read: ${(error as Error).message}`, file, undefined, { cause: error });
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new DataFormatError(`${file}: not valid JSON: ${(error as Error).message}`, file, undefined, { cause: error });
  }
  for (const [field, check] of Object.entries(FIELDS)) {
    if (!check((parsed as Record<string, unknown> | null)?.[field])) throw new DataFormatError(`${file}: field '${field}' is missing or malformed`, file);
  }
  return parsed as DatasetMetadata;
}

/** Hex sha256 of a file's bytes. */
export async function sha256File(file: string): Promise<string> {
  return createHash('sha256').update(await readFile(file)).digest('hex');
}

/**
 * Checks every file the metadata lists against its size and sha256, so a
 * damaged checkout (a Git LFS pointer, a half-written file) fails by name
 * instead of training on wrong data.
 */
export async function verifyDatasetFiles(folder: string, metadata: DatasetMetadata): Promise<void> {
  for (const [name, expected] of Object.entries(metadata.files)) {
    const file = join(folder, name);
    let actual: string;
    try {
      actual = await sha256File(file);
    } catch (error) {
      throw new DataFormatError(`${file}: listed in ${METADATA_FILE} but cannot be read: ${(error as Error).message}`, file, undefined, { cause: error });
    }
    if (actual !== expected.sha256) {
      throw new DataFormatError(
        `${file}: sha256 ${actual}, expected ${expected.sha256} (${METADATA_FILE}); the file was changed or damaged: restore it from git, or re-pack it (${metadata.provenance.packer})`,
        file,
      );
    }
  }
}
