import { join } from 'node:path';
import { writeJsonAtomic } from '../checkpoint/atomic-write.js';
import { ensureFolder } from '../files/ensure-folder.js';
import { cellContentHash } from '../results/content-hash.js';
import type { CellResult, CellSpec } from './cell.js';

/**
 * A study folder's layout. `cells/<id>.json` (one CellResult each, written
 * atomically, with its content hash) is the source of truth: many machines
 * can write their cells into copies of the folder (or into one shared folder,
 * one lease per cell), and `ltssl collect` merges them. The SQLite store,
 * results.csv and the report are built from those files.
 */
export const STUDY_FILES = {
  cells: 'cells',
  plan: 'plan.json',
  config: 'study.json',
  checkpoints: 'checkpoints',
  store: 'results.sqlite',
  csv: 'results.csv',
  report: 'report',
  /** One lease per cell being computed: leases/<id>.lock (files/lease.ts). */
  leases: 'leases',
  /** The lease `ltssl run` holds on the whole folder for its sweep: study.lock. */
  lock: 'study',
} as const;

/** The key of a cell file that holds the SHA-256 of the rest (cellContentHash), checked on every read. */
export const CELL_HASH_KEY = 'contentHash';

export function cellFile(dir: string, id: string): string {
  return join(dir, STUDY_FILES.cells, `${id}.json`);
}

/** The lease of one cell: whoever computes the cell holds it. */
export function cellLeaseName(dir: string, id: string): string {
  return join(dir, STUDY_FILES.leases, id);
}

/** The lease `ltssl run` holds on the folder for its sweep. */
export function studyLockName(dir: string): string {
  return join(dir, STUDY_FILES.lock);
}

/** Writes a cell's result file atomically, with its content hash, so a file changed or damaged later is caught on read. */
export async function writeCellResult(dir: string, result: CellResult): Promise<void> {
  await ensureFolder(join(dir, STUDY_FILES.cells), 'the cells folder');
  await writeJsonAtomic(cellFile(dir, result.cell.id), { ...result, [CELL_HASH_KEY]: cellContentHash(result) });
}

/** The planned cells of a study (plan.json), as `ltssl run` wrote them. */
export interface StudyPlan {
  readonly protocol: string;
  readonly configHash: string;
  readonly cells: readonly CellSpec[];
}
