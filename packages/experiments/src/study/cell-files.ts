import { mkdir, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ERROR_CODES, LtsslError } from '@ltssl/core';
import { writeFileAtomic } from '../checkpoint/atomic-write.js';
import type { CellResult, CellSpec } from './cell.js';

/**
 * A study folder's layout. `cells/<id>.json` (one CellResult each, written
 * atomically) is the source of truth: many machines can write their cells
 * into copies of the folder, and `ltssl collect` merges them. The SQLite store,
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
} as const;

export function cellFile(dir: string, id: string): string {
  return join(dir, STUDY_FILES.cells, `${id}.json`);
}

export async function writeCellResult(dir: string, result: CellResult): Promise<void> {
  await mkdir(join(dir, STUDY_FILES.cells), { recursive: true });
  const bytes = new TextEncoder().encode(JSON.stringify(result, null, 1) + '\n');
  await writeFileAtomic(cellFile(dir, result.cell.id), async (sink) => sink(bytes));
}

function checkResult(file: string, value: unknown): CellResult {
  const r = value as Partial<CellResult>;
  const ok = typeof r === 'object' && r !== null && typeof r.cell?.id === 'string' && (r.status === 'done' || r.status === 'failed') && typeof r.metrics === 'object' && typeof r.configHash === 'string';
  if (!ok) throw new LtsslError(ERROR_CODES.dataInvalid, `${file}: not a cell result (needs cell.id, status, metrics, configHash); remove it or rerun the cell`);
  return r as CellResult;
}

/** The result of one cell, or undefined when it has none yet. */
export async function readCellResult(dir: string, id: string): Promise<CellResult | undefined> {
  const file = cellFile(dir, id);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as { code?: string }).code === 'ENOENT') return undefined;
    throw error;
  }
  try {
    return checkResult(file, JSON.parse(text));
  } catch (error) {
    if (error instanceof SyntaxError) throw new LtsslError(ERROR_CODES.dataInvalid, `${file}: not valid JSON (${error.message}); remove it and rerun the cell`);
    throw error;
  }
}

/** Every cell result in the folder, sorted by cell id. */
export async function readCellResults(dir: string): Promise<CellResult[]> {
  let names: string[];
  try {
    names = (await readdir(join(dir, STUDY_FILES.cells))).filter((n) => n.endsWith('.json') && !n.startsWith('.'));
  } catch (error) {
    if ((error as { code?: string }).code === 'ENOENT') return [];
    throw error;
  }
  const results: CellResult[] = [];
  for (const name of names.sort()) {
    const result = await readCellResult(dir, name.slice(0, -'.json'.length));
    if (result) results.push(result);
  }
  return results;
}

/** The planned cells of a study (plan.json), as `ltssl run` wrote them. */
export interface StudyPlan {
  readonly protocol: string;
  readonly configHash: string;
  readonly cells: readonly CellSpec[];
}
