import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { ERROR_CODES, LtsslError } from '@ltssl/core';
import type { CellResult } from '../study/cell.js';
import { CELL_HASH_KEY, cellFile, STUDY_FILES } from '../study/cell-files.js';
import { cellContentHash } from './content-hash.js';
import { parseCellResult } from './parse-cell-result.js';

/** A valid cell result file. */
export interface CellResultFile {
  readonly file: string;
  readonly result: CellResult;
  /** cellContentHash of the result: equal hashes, same result. */
  readonly hash: string;
}

/** A file that looks like a cell result but is not one, and why. */
export interface RejectedFile {
  readonly file: string;
  readonly reason: string;
}

export interface CellResultFolder {
  /** The folder the files were read from. */
  readonly folder: string;
  readonly files: readonly CellResultFile[];
  readonly rejected: readonly RejectedFile[];
}

async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch (error) {
    if ((error as { code?: string }).code === 'ENOENT') return false;
    throw error;
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch (error) {
    if ((error as { code?: string }).code === 'ENOENT') return false;
    throw error;
  }
}

/**
 * Where a folder keeps its cell results: `<dir>/cells` for a study folder
 * (what `ltssl cell --out` writes; one with a plan or config but no cells yet
 * has none), else the folder itself (a plain folder of result files, such as
 * what a job array copied back).
 */
export async function cellResultFolder(dir: string): Promise<string> {
  const cells = join(dir, STUDY_FILES.cells);
  if (await isDirectory(cells)) return cells;
  return (await exists(join(dir, STUDY_FILES.plan))) || (await exists(join(dir, STUDY_FILES.config))) ? cells : dir;
}

async function readOne(file: string, name: string): Promise<CellResultFile | RejectedFile> {
  let value: unknown;
  try {
    value = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    if (error instanceof SyntaxError) return { file, reason: `not valid JSON (${error.message}); it is damaged or truncated: delete it and rerun the study to recompute the cell` };
    throw error;
  }
  try {
    // The writer's content hash, when the file has one (files of older ltssl versions have none).
    let written: unknown;
    if (typeof value === 'object' && value !== null && !Array.isArray(value) && CELL_HASH_KEY in value) {
      const { [CELL_HASH_KEY]: hash, ...rest } = value as Record<string, unknown>;
      written = hash;
      value = rest;
    }
    const result = parseCellResult(file, value);
    // Everything that reads a study finds a cell by its file name.
    if (name !== `${result.cell.id}.json`) return { file, reason: `holds cell '${result.cell.id}' under another name; rename it to ${result.cell.id}.json` };
    const hash = cellContentHash(result);
    if (written !== undefined && written !== hash) {
      return { file, reason: `its content does not match its ${CELL_HASH_KEY} (the file was changed or damaged after it was written); delete it and rerun the study to recompute the cell` };
    }
    return { file, result, hash };
  } catch (error) {
    return { file, reason: (error as Error).message.replace(`${file}: `, '') };
  }
}

/**
 * The one verdict on a cell's result file, which every command uses: the
 * result (valid: parsed field by field, its content hash checked), or why it
 * was rejected, or undefined when the cell has no file yet.
 */
export async function readCellFile(dir: string, id: string): Promise<CellResultFile | RejectedFile | undefined> {
  const file = cellFile(dir, id);
  try {
    return await readOne(file, `${id}.json`);
  } catch (error) {
    if ((error as { code?: string }).code === 'ENOENT') return undefined;
    throw error;
  }
}

/** A cell's valid result, undefined when it has none; a rejected file is an error with the reason. */
export async function readCellResult(dir: string, id: string): Promise<CellResult | undefined> {
  const verdict = await readCellFile(dir, id);
  if (verdict && 'reason' in verdict) throw new LtsslError(ERROR_CODES.dataInvalid, `${verdict.file}: ${verdict.reason}`);
  return verdict?.result;
}

/**
 * Every `*.json` cell result in `folder` (a missing folder has none), in file
 * name order. A file that is not a valid cell result is listed in `rejected`
 * with the reason, never skipped silently and never fatal to the others.
 * Temporary files of an atomic write ('.name.tmp') are not results.
 */
export async function readCellResultFolder(folder: string): Promise<CellResultFolder> {
  let names: string[];
  try {
    names = (await readdir(folder)).filter((n) => n.endsWith('.json') && !n.startsWith('.')).sort();
  } catch (error) {
    if ((error as { code?: string }).code === 'ENOENT') return { folder, files: [], rejected: [] };
    throw error;
  }
  const files: CellResultFile[] = [];
  const rejected: RejectedFile[] = [];
  for (const name of names) {
    const entry = await readOne(join(folder, name), name);
    if ('result' in entry) files.push(entry);
    else rejected.push(entry);
  }
  return { folder, files, rejected };
}
