import { bytesWrittenAtomically } from '../checkpoint/atomic-write.js';
import { ensureFolder } from '../files/ensure-folder.js';
import { checkFreeSpace } from '../files/free-space.js';
import { isFolderWriteError } from '../files/folder-write-error.js';
import { clearDeadLease, tryLease, type LeaseOwner } from '../files/lease.js';
import { readCellFile, type RejectedFile } from '../results/cell-result-files.js';
import { RunClock } from '../train/run-clock.js';
import { isStopRequested } from '../train/stop-requested.js';
import type { CellResult, CellSpec } from './cell.js';
import { cellLeaseName, writeCellResult } from './cell-files.js';
import { SweepStoppedError } from './sweep-stopped.js';
import { writeStudyFiles } from './write-study-files.js';

export type CellOutcome = 'computed' | 'skipped' | 'failed' | 'busy';

/** What runCells hands the function that computes a cell. */
export interface CellRun {
  /** The cell's time (a resumed cell takes its first start and seconds from its checkpoint). */
  readonly clock: RunClock;
  /** Aborted when the sweep is asked to stop or the cell's lease is lost: stop at the end of a step. */
  readonly signal: AbortSignal;
}

export interface RunCellsOptions {
  readonly dir: string;
  readonly protocol: string;
  /** The validated configuration (written to study.json) and its hash. */
  readonly config: unknown;
  readonly configHash: string;
  readonly cells: readonly CellSpec[];
  /** The study's whole plan, written to plan.json (`ltssl status` reads it); default `cells`. Differs when one cell of a study runs. */
  readonly planned?: readonly CellSpec[];
  /** Runs one cell; throwing records the cell as failed (with the message) and moves on, except a stop or a folder that cannot be written. */
  readonly runCell: (cell: CellSpec, run: CellRun) => Promise<CellResult>;
  /**
   * Called once per cell with what happened, after its result file is written: `result` is absent for skipped
   * cells and for cells another process holds the lease of ('busy'). A throw stops the sweep.
   */
  readonly onCell?: (cell: CellSpec, outcome: CellOutcome, result: CellResult | undefined, index: number, heldBy?: LeaseOwner) => void | Promise<void>;
  /** Called before a cell is computed. */
  readonly onStart?: (cell: CellSpec, index: number) => void;
  /** A cell's result file that is not a valid result: reported here, and the cell computed again. */
  readonly onRejected?: (cell: CellSpec, rejected: RejectedFile) => void;
  /** Stops the sweep: checked before each cell, and passed to the cell to stop at the end of a step. */
  readonly signal?: AbortSignal;
  /** Who computes the cells, in the lease's owner file: "ltssl run toy". */
  readonly holder?: string;
}

export interface RunCellsSummary {
  readonly computed: number;
  readonly skipped: number;
  readonly failed: number;
  /** Cells another process was computing (their lease was held): left to it. */
  readonly busy: number;
}

/** A cell writes at least its result file and the store's row; before one has been measured, this much is asked free. */
const MIN_CELL_BYTES = 64 * 1024;

/**
 * Runs a sweep's cells in order. A cell whose result file says 'done' for the
 * same configuration hash is never recomputed; anything else (no result, a
 * failed one, another configuration, a file rejected by the one cell-file
 * parser) is run. Each cell is computed under its lease (leases/<id>.lock),
 * so processes sharing the folder never compute one cell at once: a cell
 * leased by a live process is left to it. Before a cell starts, the folder
 * must have room for what the largest cell so far wrote. Its result is written
 * atomically before the next cell starts, so a killed sweep loses at most the
 * work since the last checkpoint of the cell in progress.
 *
 * A stop (the signal: a SweepStoppedError) and a write the folder refuses
 * (FolderWriteError: no space, read-only) end the sweep by throwing: neither
 * is the cell's failure, and every later cell would meet the same.
 */
export async function runCells(o: RunCellsOptions): Promise<RunCellsSummary> {
  await ensureFolder(o.dir, 'the study folder');
  await writeStudyFiles(o.dir, { protocol: o.protocol, configHash: o.configHash, config: o.config, cells: o.planned ?? o.cells });
  const summary = { computed: 0, skipped: 0, failed: 0, busy: 0 };
  let largestCell = MIN_CELL_BYTES;
  const doneBefore = async (cell: CellSpec, report: boolean): Promise<boolean> => {
    const existing = await readCellFile(o.dir, cell.id);
    if (existing && 'reason' in existing) {
      if (report) o.onRejected?.(cell, existing);
      return false;
    }
    return existing?.result.status === 'done' && existing.result.configHash === o.configHash;
  };
  for (const [index, cell] of o.cells.entries()) {
    if (o.signal?.aborted) throw new SweepStoppedError(cell.id, undefined, o.signal.reason);
    if (await doneBefore(cell, true)) {
      await clearDeadLease(cellLeaseName(o.dir, cell.id)); // what a process killed right after writing the result left
      summary.skipped++;
      await o.onCell?.(cell, 'skipped', undefined, index);
      continue;
    }
    const attempt = await tryLease(cellLeaseName(o.dir, cell.id), `${o.holder ?? 'ltssl'}: cell ${cell.id}`);
    if ('heldBy' in attempt) {
      summary.busy++;
      await o.onCell?.(cell, 'busy', undefined, index, attempt.heldBy);
      continue;
    }
    const lease = attempt.lease;
    try {
      // Another process may have finished it between the check and the lease.
      if (await doneBefore(cell, false)) {
        summary.skipped++;
        await o.onCell?.(cell, 'skipped', undefined, index);
        continue;
      }
      await checkFreeSpace(o.dir, largestCell, `cell ${cell.id}`);
      o.onStart?.(cell, index);
      const clock = new RunClock();
      const signal = o.signal ? AbortSignal.any([o.signal, lease.lost]) : lease.lost;
      const writtenBefore = bytesWrittenAtomically();
      let result: CellResult;
      try {
        result = await o.runCell(cell, { clock, signal });
        summary.computed++;
      } catch (error) {
        if (isStopRequested(error)) throw new SweepStoppedError(cell.id, error, signal.reason);
        if (isFolderWriteError(error)) throw error;
        if (signal.aborted) throw new SweepStoppedError(cell.id, undefined, signal.reason);
        result = failedResult(cell, o.configHash, clock, error);
        summary.failed++;
      }
      if (lease.lost.aborted) throw new Error(`${cell.id}: its result was not written: ${(lease.lost.reason as Error).message} (another process may be computing it now)`);
      await writeCellResult(o.dir, result);
      largestCell = Math.max(largestCell, bytesWrittenAtomically() - writtenBefore);
      await o.onCell?.(cell, result.status === 'done' ? 'computed' : 'failed', result, index);
    } finally {
      await lease.release();
    }
  }
  return summary;
}

/** The record of a cell whose work threw: its error, its time, where it ran. */
function failedResult(cell: CellSpec, configHash: string, clock: RunClock, error: unknown): CellResult {
  return {
    cell,
    configHash,
    status: 'failed',
    error: error instanceof Error ? error.message : String(error),
    startedAt: clock.startedAt,
    finishedAt: new Date().toISOString(),
    seconds: clock.elapsed(),
    metrics: {},
    memory: { peakRssBytes: process.resourceUsage().maxRSS * 1024 },
    environment: { driver: '', device: '', node: process.version, platform: `${process.platform}-${process.arch}`, ltsslVersion: '', packages: {} },
    data: { inDomain: '' },
  };
}
