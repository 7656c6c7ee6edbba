import { readCellFile } from '../results/cell-result-files.js';
import type { StudyStatus } from '../results/study-status.js';
import type { CellSpec } from './cell.js';

/**
 * Plan indices. A study's plan (Study.cells(config), the order plan.json
 * keeps) is a pure function of its validated configuration, so a cell's
 * position in it is stable for a configuration hash. External schedulers
 * hand out numbers, not ids (a Slurm array task id, a Kubernetes completion
 * index), so `ltssl cell --index I` computes the plan's I-th cell, and the
 * configuration hash travels with the index to catch a plan that changed.
 */

/** The plan's cell at `index` (0-based), or undefined when the index is outside the plan. */
export function cellAtIndex(cells: readonly CellSpec[], index: number): CellSpec | undefined {
  return Number.isInteger(index) && index >= 0 ? cells[index] : undefined;
}

/** "0-89" for the messages of an index outside the plan. */
export function planIndexRange(cells: readonly CellSpec[]): string {
  return cells.length === 0 ? 'none (the plan is empty)' : cells.length === 1 ? '0' : `0-${cells.length - 1}`;
}

/**
 * The plan indices of the cells still to compute in `dir`: every cell
 * without a finished result of `configHash` (no file, a failure, another
 * configuration's result, a file the cell-file parser rejects), in plan
 * order. What a scheduler is handed; a cell it computes anyway (done by then)
 * is skipped by `ltssl cell`.
 */
export async function pendingPlanIndices(dir: string, cells: readonly CellSpec[], configHash: string): Promise<number[]> {
  const pending: number[] = [];
  for (const [index, cell] of cells.entries()) {
    const verdict = await readCellFile(dir, cell.id);
    const done = verdict !== undefined && 'result' in verdict && verdict.result.status === 'done' && verdict.result.configHash === configHash;
    if (!done) pending.push(index);
  }
  return pending;
}

/** Where one planned cell stands: `running` is a pending or failed cell whose lease a live process holds. */
export type PlannedCellState = 'done' | 'pending' | 'running' | 'failed';

export interface PlannedCell {
  readonly index: number;
  readonly id: string;
  readonly state: PlannedCellState;
}

/** Every planned cell of a study's status with its plan index and state, in plan order. */
export function plannedCellStates(status: StudyStatus): PlannedCell[] {
  const done = new Set(status.done.map((r) => r.cell.id));
  const failed = new Set(status.failed.map((r) => r.cell.id));
  const running = new Set(status.running.map((r) => r.cell));
  return status.plan.cells.map((cell, index) => ({
    index,
    id: cell.id,
    state: running.has(cell.id) ? 'running' : done.has(cell.id) ? 'done' : failed.has(cell.id) ? 'failed' : 'pending',
  }));
}
