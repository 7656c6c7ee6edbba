import { readFile, realpath, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { ERROR_CODES, hasErrorCode, LtsslError } from '@ltssl/core';
import { STUDY_FILES, writeCellResult } from '../study/cell-files.js';
import { cellResultFolder, readCellResultFolder, type CellResultFolder, type RejectedFile } from './cell-result-files.js';
import { mergeCellFiles, type CellConflict } from './merge-cell-files.js';
import { writeResultsCsv } from './results-csv.js';
import { isDamagedStoreError, type StudyRun } from './results-store.js';
import { moveDamagedStore, openStudyStore } from './study-store.js';
import type { CellResultFile } from './cell-result-files.js';

/** A cell file that collect wrote into the study folder from another folder. */
export interface CopiedCell {
  readonly id: string;
  readonly from: string;
  /** True when it replaced the study folder's own, different, older result. */
  readonly replaced: boolean;
}

export interface CollectSummary {
  readonly store: string;
  readonly csv: string;
  readonly csvRows: number;
  /** Folders read: the study folder and the distinct others. */
  readonly folders: number;
  /** Distinct cells found in all folders. */
  readonly cells: number;
  /** What the store did with each cell (see ResultsStore.putCell). */
  readonly added: number;
  readonly replaced: number;
  readonly unchanged: number;
  /** Cells whose stored rows disagreed with their file under the same hash (altered or damaged), rewritten. */
  readonly repaired: number;
  /** Stored cells with no result file, removed (the files are the source of truth). */
  readonly removed: number;
  /** Set when the store file was damaged and rebuilt from the cell files: why, and where the damaged one went. */
  readonly rebuilt?: { readonly why: string; readonly movedTo: string };
  /** Cells whose result is a failure (stored, with its error). */
  readonly failed: number;
  readonly copied: readonly CopiedCell[];
  readonly conflicts: readonly CellConflict[];
  /** Files that are not valid cell results, and cells the store refused. */
  readonly rejected: readonly RejectedFile[];
  /** Study configurations (study.json) recorded in the store's runs table. */
  readonly runs: number;
}

async function requireFolder(dir: string, role: string): Promise<string> {
  let isDir: boolean;
  try {
    isDir = (await stat(dir)).isDirectory();
  } catch (error) {
    if ((error as { code?: string }).code !== 'ENOENT') throw error;
    throw new LtsslError(ERROR_CODES.dataInvalid, `${dir}: no such folder; give ${role}`);
  }
  if (!isDir) throw new LtsslError(ERROR_CODES.dataInvalid, `${dir}: not a folder; give ${role}`);
  return realpath(dir);
}

/** study.json of a folder ({protocol, configHash, config}, as `ltssl run` writes it), when it has one. */
async function readStudyRun(dir: string): Promise<StudyRun | RejectedFile | undefined> {
  const file = join(dir, STUDY_FILES.config);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as { code?: string }).code === 'ENOENT') return undefined;
    throw error;
  }
  try {
    const value = JSON.parse(text) as Partial<StudyRun>;
    if (typeof value.configHash === 'string' && typeof value.protocol === 'string') return { configHash: value.configHash, protocol: value.protocol, config: value.config ?? null };
  } catch (error) {
    if (!(error instanceof SyntaxError)) throw error;
  }
  return { file, reason: "not a study configuration (needs protocol, configHash and config); rerun 'ltssl run' to rewrite it" };
}

/**
 * `ltssl collect DIR [OTHER ...]`: merges the cell result files of the study
 * folder DIR and of other folders (copies of the study made by other machines,
 * or plain folders of result files) into DIR. A cell found elsewhere is
 * copied into DIR/cells, so the cell files stay the source of truth; then
 * every cell goes into DIR's SQLite store, one transaction each, and
 * results.csv is rewritten from the store. A file that is not a valid result
 * is reported and left out; the others are still collected.
 */
export async function collect(dir: string, sources: readonly string[] = []): Promise<CollectSummary> {
  const home = await requireFolder(dir, "the study folder (the --out of 'ltssl run')");
  const seen = new Set([home]);
  const others: string[] = [];
  for (const source of sources) {
    const real = await requireFolder(source, 'a study folder or a folder of cell result files');
    if (seen.has(real)) continue;
    seen.add(real);
    others.push(source);
  }
  const own = await readCellResultFolder(join(dir, STUDY_FILES.cells));
  const foreign: CellResultFolder[] = [];
  for (const source of others) foreign.push(await readCellResultFolder(await cellResultFolder(source)));
  const rejected: RejectedFile[] = [own, ...foreign].flatMap((f) => f.rejected);

  const { winners, conflicts } = mergeCellFiles([own.files, ...foreign.map((f) => f.files)]);
  const ownHash = new Map(own.files.map((f) => [f.result.cell.id, f.hash]));
  const copied: CopiedCell[] = [];
  for (const w of winners) {
    const local = ownHash.get(w.result.cell.id);
    if (local === w.hash) continue;
    await writeCellResult(dir, w.result);
    copied.push({ id: w.result.cell.id, from: w.file, replaced: local !== undefined });
  }

  const runs: StudyRun[] = [];
  for (const folder of [dir, ...others]) {
    const run = await readStudyRun(folder);
    if (run && 'reason' in run) rejected.push(run);
    else if (run) runs.push(run);
  }

  const storeFile = join(dir, STUDY_FILES.store);
  const csvFile = join(dir, STUDY_FILES.csv);
  let synced: StoreSync;
  try {
    synced = await syncStore(storeFile, csvFile, winners, runs);
  } catch (error) {
    // Pages damaged where quick_check did not look: start over from the cell files.
    if (!isDamagedStoreError(error)) throw error;
    const movedTo = await moveDamagedStore(storeFile);
    synced = { ...(await syncStore(storeFile, csvFile, winners, runs)), rebuilt: { why: (error as Error).message, movedTo } };
  }
  const { counts, csvRows, refused, rebuilt } = synced;
  rejected.push(...refused);
  return {
    store: storeFile,
    csv: csvFile,
    csvRows,
    folders: 1 + others.length,
    cells: winners.length,
    ...counts,
    ...(rebuilt ? { rebuilt } : {}),
    copied,
    conflicts,
    rejected,
    runs: new Set(runs.map((r) => r.configHash)).size,
  };
}

interface StoreSync {
  readonly counts: { added: number; replaced: number; unchanged: number; repaired: number; removed: number; failed: number };
  readonly csvRows: number;
  readonly refused: RejectedFile[];
  readonly rebuilt?: { readonly why: string; readonly movedTo: string };
}

/**
 * Makes the store a copy of the cell files, row by row: each file's cell is
 * put (putCell reads a stored cell back and rewrites it if any row differs),
 * a stored cell without a file is removed; then results.csv is rewritten from
 * the store.
 */
async function syncStore(storeFile: string, csvFile: string, winners: readonly CellResultFile[], runs: readonly StudyRun[]): Promise<StoreSync> {
  const { store, replaced } = await openStudyStore(storeFile);
  const counts = { added: 0, replaced: 0, unchanged: 0, repaired: 0, removed: 0, failed: 0 };
  const refused: RejectedFile[] = [];
  try {
    for (const run of runs) store.putRun(run);
    for (const w of winners) {
      try {
        counts[store.putCell(w.result)]++;
        if (w.result.status === 'failed') counts.failed++;
      } catch (error) {
        if (isDamagedStoreError(error) || !hasErrorCode(error, ERROR_CODES.dataInvalid)) throw error;
        refused.push({ file: w.file, reason: (error as Error).message });
      }
    }
    const files = new Set(winners.map((w) => w.result.cell.id));
    for (const id of store.cellIds()) {
      if (files.has(id)) continue;
      store.removeCell(id);
      counts.removed++;
    }
    const csvRows = await writeResultsCsv(store, csvFile);
    return { counts, csvRows, refused, ...(replaced ? { rebuilt: replaced } : {}) };
  } finally {
    store.close();
  }
}
