import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { DataFormatError } from './formats/data-error.js';
import type { ImageSet } from './image-set.js';

/**
 * Pre-training subsets given by the user instead of drawn by ltssl, so a
 * sweep trains on exactly the images another paper did (SDCLR's and BCL's
 * published CIFAR splits, ImageNet-LT's lists) and Δ compares like with like.
 *
 * Two forms, each giving a subset for every ratio r of the sweep (r = 1,
 * the balanced reference, included):
 * - a JSON file mapping r to the subset: {"1": [0, 17, ...], "0.01": "split1_D_i.txt"},
 *   each value a list of indices (or file names) or the path of a text file,
 *   relative to the JSON file;
 * - a map of r to text files (the command line's --subset-file 1=FILE --subset-file 0.01=FILE,
 *   or {"1": "FILE", ...} as the configuration's subsetFile).
 * A text file holds one image a line: the first field of the line, either
 * its index in the train split (0-based, in the dataset's order: torchvision's
 * for CIFAR and ImageFolder) or, for an ImageFolder, its path relative to the
 * dataset folder or to the train folder (ImageNet-LT's 'train/n01440764/x.JPEG 0'
 * lines work: what follows the first field is ignored). Blank lines and
 * lines starting with # are skipped. An index out of range, a name not in
 * the train split, or an image listed twice is an error naming the file and line.
 */

/** The configuration's form: a JSON map file, or r -> text file. */
export type SubsetFileSpec = string | Readonly<Record<string, string>>;

/** One ratio's subset, and where it came from, as the results record it. */
export interface PretrainSubset {
  readonly ratio: number;
  /** Indices into the train split, in the file's order. */
  readonly indices: Int32Array;
  /** The file that lists it (the JSON map for an inline list). */
  readonly file: string;
  /** Hex sha256 of that file's bytes. */
  readonly sha256: string;
}

/** The subsets by ratio. */
export type PretrainSubsets = ReadonlyMap<number, PretrainSubset>;

interface SubsetContext {
  readonly train: Pick<ImageSet, 'count' | 'name'>;
  /** ImageFolder: the train images' paths relative to the dataset folder, index-aligned. */
  readonly trainFiles?: readonly string[];
}

async function readText(file: string, what: string): Promise<{ text: string; sha256: string }> {
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (error) {
    throw new DataFormatError(`${file}: cannot read the ${what}: ${(error as Error).message}`, file, undefined, { cause: error });
  }
  return { text: bytes.toString('utf8'), sha256: createHash('sha256').update(bytes).digest('hex') };
}

/** File names to indices: a path relative to the dataset folder, and relative to the train folder when all share one. */
function nameIndex(trainFiles: readonly string[]): Map<string, number> {
  const index = new Map<string, number>();
  const first = trainFiles[0]?.split('/')[0];
  const shared = first !== undefined && trainFiles.every((f) => f.startsWith(`${first}/`)) ? `${first}/` : undefined;
  trainFiles.forEach((f, i) => {
    index.set(f, i);
    if (shared) index.set(f.slice(shared.length), i);
  });
  return index;
}

/** An entry's index: an integer in range, or a train image's file name. `where` names the file and line. */
function entryIndex(entry: string | number, where: string, file: string, ctx: SubsetContext, names: Map<string, number> | undefined): number {
  const text = String(entry).trim();
  if (/^\d+$/.test(text)) {
    const i = Number(text);
    if (i >= ctx.train.count) throw new DataFormatError(`${where}: index ${i}, but ${ctx.train.name} holds ${ctx.train.count} images (0..${ctx.train.count - 1}); is this the split of another dataset?`, file);
    return i;
  }
  if (!names) throw new DataFormatError(`${where}: '${text}' is not an image index (a whole number 0 or more); only an ImageFolder's subset can be given by file name`, file);
  const i = names.get(text.replace(/^\.\//, ''));
  if (i === undefined) throw new DataFormatError(`${where}: no image '${text}' in ${ctx.train.name} (give paths relative to the dataset folder or its train folder, as 'ltssl data inspect' reads them)`, file);
  return i;
}

/** Indices of a list of entries, each once. */
function indicesOf(entries: readonly { value: string | number; where: string }[], file: string, ctx: SubsetContext): Int32Array {
  const names = ctx.trainFiles ? nameIndex(ctx.trainFiles) : undefined;
  const seen = new Map<number, string>();
  const out = new Int32Array(entries.length);
  entries.forEach(({ value, where }, k) => {
    const i = entryIndex(value, where, file, ctx, names);
    const before = seen.get(i);
    if (before !== undefined) throw new DataFormatError(`${where}: image ${i} is listed twice (first at ${before}); a subset lists each image once`, file);
    seen.set(i, where);
    out[k] = i;
  });
  if (out.length === 0) throw new DataFormatError(`${file}: the subset is empty`, file);
  return out;
}

/** A text file's subset: the first field of each line that is not blank or a # comment. */
async function textSubset(file: string, ratio: number, ctx: SubsetContext): Promise<PretrainSubset> {
  const { text, sha256 } = await readText(file, 'subset file');
  const entries = text
    .split(/\r?\n/)
    .map((line, i) => ({ value: line.trim().split(/\s+/)[0] ?? '', where: `${file}: line ${i + 1}` }))
    .filter((e) => e.value.length > 0 && !e.value.startsWith('#'));
  return { ratio, indices: indicesOf(entries, file, ctx), file, sha256 };
}

/** r from a key: '1', '0.01'. */
function ratioOf(key: string, file: string): number {
  const r = Number(key);
  if (!(key.trim() !== '' && r > 0 && r <= 1)) throw new DataFormatError(`${file}: key '${key}' is not an imbalance ratio r in (0, 1]`, file);
  return r;
}

/**
 * The subsets a spec gives, one for each of `ratios` (every one required,
 * no other accepted), checked against the train split.
 */
export async function readSubsetFile(spec: SubsetFileSpec, ratios: readonly number[], ctx: SubsetContext): Promise<PretrainSubsets> {
  const subsets = new Map<number, PretrainSubset>();
  const where = typeof spec === 'string' ? resolve(spec) : '--subset-file';
  if (typeof spec === 'string') {
    const { text, sha256 } = await readText(where, 'subset map (JSON)');
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (error) {
      throw new DataFormatError(`${where}: not JSON (${(error as Error).message}); a subset map is {"1": [indices], "0.01": [indices] or "file.txt"}; for one text file per ratio give --subset-file R=FILE for each r`, where, undefined, { cause: error });
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new DataFormatError(`${where}: a subset map is a JSON object of r to a list of indices or a text file: {"1": [...], "0.01": "split.txt"}`, where);
    for (const [key, value] of Object.entries(parsed)) {
      const ratio = ratioOf(key, where);
      if (typeof value === 'string') subsets.set(ratio, await textSubset(resolve(dirname(where), value), ratio, ctx));
      else if (Array.isArray(value) && value.every((v) => typeof v === 'number' || typeof v === 'string')) {
        const entries = value.map((v: string | number, i) => ({ value: v, where: `${where}: "${key}"[${i}]` }));
        subsets.set(ratio, { ratio, indices: indicesOf(entries, where, ctx), file: where, sha256 });
      } else throw new DataFormatError(`${where}: "${key}" is neither a list of indices (or file names) nor the path of a text file`, where);
    }
  } else {
    for (const [key, file] of Object.entries(spec)) {
      const ratio = ratioOf(key, where);
      subsets.set(ratio, await textSubset(resolve(file), ratio, ctx));
    }
  }
  const missing = ratios.filter((r) => !subsets.has(r));
  if (missing.length > 0) throw new DataFormatError(`${where}: no subset for r = ${missing.join(', ')}; give one for every ratio of the sweep (the balanced r = 1 too, so Δ compares subsets of the same source)`, where);
  const extra = [...subsets.keys()].filter((r) => !ratios.includes(r));
  if (extra.length > 0) throw new DataFormatError(`${where}: subsets for r = ${extra.join(', ')}, which are not among the sweep's ratios (${ratios.join(', ')}); add them to ratios or remove them`, where);
  return subsets;
}

/**
 * The SHA-256 of every file a spec names (a JSON map and the text files it
 * points to, or one text file per r), by absolute path: what a study's hash
 * must cover so that an edited file does not resume against cells drawn from
 * the old one.
 */
export async function subsetFileDigests(spec: SubsetFileSpec): Promise<Record<string, string>> {
  const digests: Record<string, string> = {};
  const files = typeof spec === 'string' ? [resolve(spec)] : Object.values(spec).map((f) => resolve(f));
  for (const file of files) digests[file] = (await readText(file, 'subset file')).sha256;
  if (typeof spec === 'string') {
    const where = files[0]!;
    let parsed: unknown;
    try {
      parsed = JSON.parse((await readText(where, 'subset map (JSON)')).text);
    } catch {
      return digests; // readSubsetFile names the syntax error when the study loads its data
    }
    if (typeof parsed === 'object' && parsed !== null) {
      for (const value of Object.values(parsed)) {
        if (typeof value === 'string') {
          const file = resolve(dirname(where), value);
          digests[file] = (await readText(file, 'subset file')).sha256;
        }
      }
    }
  }
  return digests;
}

/** Images per class of a subset of `set`. */
export function subsetClassCounts(set: Pick<ImageSet, 'labels' | 'classes'>, indices: ArrayLike<number>): number[] {
  const counts = new Array<number>(set.classes).fill(0);
  for (let k = 0; k < indices.length; k++) counts[set.labels[indices[k]!]!]!++;
  return counts;
}
