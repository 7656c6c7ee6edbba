import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { CellResult } from '../study/cell.js';
import { STUDY_FILES } from '../study/cell-files.js';
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
    if (error instanceof SyntaxError) return { file, reason: `not valid JSON (${error.message}); remove it or rerun the cell` };
    throw error;
  }
  try {
    const result = parseCellResult(file, value);
    // Everything that reads a study finds a cell by its file name.
    if (name !== `${result.cell.id}.json`) return { file, reason: `holds cell '${result.cell.id}' under another name; rename it to ${result.cell.id}.json` };
    return { file, result, hash: cellContentHash(result) };
  } catch (error) {
    return { file, reason: (error as Error).message.replace(`${file}: `, '') };
  }
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
