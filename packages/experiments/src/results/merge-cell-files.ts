import type { CellResultFile } from './cell-result-files.js';

/** Two or more different results of one cell, and which one was kept. */
export interface CellConflict {
  readonly id: string;
  readonly kept: CellResultFile;
  /** The files whose content differs from the kept one. */
  readonly dropped: readonly CellResultFile[];
  readonly reason: string;
}

export interface MergedCells {
  /** One result per cell id, sorted by id. */
  readonly winners: readonly CellResultFile[];
  readonly conflicts: readonly CellConflict[];
}

const finished = (f: CellResultFile): number => Date.parse(f.result.finishedAt);

/**
 * Picks one result per cell from folders given in priority order (the study
 * folder first). Copies with equal content are one result. Between different
 * results the newer `finishedAt` wins (ties: the earlier folder), except that
 * a failure never displaces a finished result of the same configuration: two
 * machines that ran the same cell leave one good result, and the failure of
 * the second says nothing about it.
 */
export function mergeCellFiles(folders: readonly (readonly CellResultFile[])[]): MergedCells {
  const byId = new Map<string, CellResultFile[]>();
  for (const files of folders) {
    for (const f of files) {
      const list = byId.get(f.result.cell.id);
      if (list) list.push(f);
      else byId.set(f.result.cell.id, [f]);
    }
  }
  const winners: CellResultFile[] = [];
  const conflicts: CellConflict[] = [];
  for (const id of [...byId.keys()].sort()) {
    const candidates = byId.get(id)!;
    // Stable sort: equal times keep folder order.
    const newest = [...candidates].sort((a, b) => finished(b) - finished(a));
    let kept = newest[0]!;
    let reason = 'newer finishedAt';
    if (kept.result.status === 'failed') {
      const done = newest.find((f) => f.result.status === 'done' && f.result.configHash === kept.result.configHash);
      if (done) {
        kept = done;
        reason = 'a finished result of the same configuration beats a newer failure';
      }
    }
    const dropped = candidates.filter((f) => f.hash !== kept.hash);
    if (dropped.length > 0) {
      if (reason === 'newer finishedAt' && dropped.some((f) => finished(f) === finished(kept))) reason = 'same finishedAt; kept the first folder given';
      conflicts.push({ id, kept, dropped, reason });
    }
    winners.push(kept);
  }
  return { winners, conflicts };
}
