import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { ERROR_CODES, LtsslError } from '@ltssl/core';
import type { CellResult, CellSpec } from '../study/cell.js';
import { cellLeaseName, STUDY_FILES, type StudyPlan } from '../study/cell-files.js';
import { isLeaseHeld, leaseOwner, type LeaseOwner } from '../files/lease.js';
import { readCellResultFolder, type RejectedFile } from './cell-result-files.js';

/** Where a study stands: its planned cells by what their result files say. */
export interface StudyStatus {
  readonly dir: string;
  readonly plan: StudyPlan;
  /** Planned cells with a finished result of the plan's configuration. */
  readonly done: readonly CellResult[];
  /** Planned cells still to compute: no result, or a finished result of another configuration (see `stale`). */
  readonly pending: readonly CellSpec[];
  /** Finished results of another configuration: their cells are pending and will be recomputed. */
  readonly stale: readonly CellResult[];
  /** Planned cells whose result is a failure (of any configuration; `ltssl run` reruns them). */
  readonly failed: readonly CellResult[];
  /** Result files of cells the plan does not list (kept, not counted). */
  readonly unplanned: readonly CellResult[];
  readonly rejected: readonly RejectedFile[];
  /** Pending cells whose lease a process holds: being computed now, and by whom. */
  readonly running: readonly { readonly cell: string; readonly owner: LeaseOwner | undefined }[];
}

const notStudy = (dir: string, why: string): LtsslError =>
  new LtsslError(ERROR_CODES.dataInvalid, `${dir}: not a study folder (${why}); give the --out folder of 'ltssl run', which writes ${STUDY_FILES.plan}`);

function isPlan(value: unknown): value is StudyPlan {
  const p = value as Partial<StudyPlan> | null;
  return typeof p === 'object' && p !== null && typeof p.protocol === 'string' && typeof p.configHash === 'string' && Array.isArray(p.cells) && p.cells.every((c) => typeof (c as Partial<CellSpec> | null)?.id === 'string');
}

/** The plan of a study folder (plan.json), with a one-line error naming what is wrong when it is not one. */
export async function readStudyPlan(dir: string): Promise<StudyPlan> {
  try {
    if (!(await stat(dir)).isDirectory()) throw notStudy(dir, 'a file, not a folder');
  } catch (error) {
    if ((error as { code?: string }).code === 'ENOENT') throw notStudy(dir, 'no such folder');
    throw error;
  }
  const file = join(dir, STUDY_FILES.plan);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as { code?: string }).code === 'ENOENT') throw notStudy(dir, `no ${STUDY_FILES.plan}`);
    throw error;
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    if (error instanceof SyntaxError) throw new LtsslError(ERROR_CODES.dataInvalid, `${file}: not valid JSON (${error.message}); rerun 'ltssl run' to rewrite it`);
    throw error;
  }
  if (!isPlan(value)) throw new LtsslError(ERROR_CODES.dataInvalid, `${file}: not a study plan (needs protocol, configHash and cells with ids); rerun 'ltssl run' to rewrite it`);
  return value;
}

/**
 * Reads a study folder's plan and cell files (never the store, which may be
 * behind) and sorts the planned cells the way `ltssl run` will treat them: a
 * cell is done only with a finished result of the plan's configuration.
 */
export async function studyStatus(dir: string): Promise<StudyStatus> {
  const plan = await readStudyPlan(dir);
  const { files, rejected } = await readCellResultFolder(join(dir, STUDY_FILES.cells));
  const results = new Map(files.map((f) => [f.result.cell.id, f.result]));
  const planned = new Set(plan.cells.map((c) => c.id));
  const done: CellResult[] = [];
  const pending: CellSpec[] = [];
  const stale: CellResult[] = [];
  const failed: CellResult[] = [];
  for (const spec of plan.cells) {
    const result = results.get(spec.id);
    if (result?.status === 'failed') failed.push(result);
    else if (result?.status === 'done' && result.configHash === plan.configHash) done.push(result);
    else {
      pending.push(spec);
      if (result) stale.push(result);
    }
  }
  const unplanned = files.map((f) => f.result).filter((r) => !planned.has(r.cell.id));
  const running: { cell: string; owner: LeaseOwner | undefined }[] = [];
  for (const spec of [...pending, ...failed.map((r) => r.cell)]) {
    const lease = cellLeaseName(dir, spec.id);
    if (await isLeaseHeld(lease)) running.push({ cell: spec.id, owner: await leaseOwner(lease) });
  }
  return { dir, plan, done, pending, stale, failed, unplanned, rejected, running };
}
