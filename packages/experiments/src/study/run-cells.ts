import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { CellResult, CellSpec } from './cell.js';
import { readCellResult, STUDY_FILES, writeCellResult, type StudyPlan } from './cell-files.js';

export type CellOutcome = 'computed' | 'skipped' | 'failed';

export interface RunCellsOptions {
  readonly dir: string;
  readonly protocol: string;
  /** The validated configuration (written to study.json) and its hash. */
  readonly config: unknown;
  readonly configHash: string;
  readonly cells: readonly CellSpec[];
  /** The study's whole plan, written to plan.json (`ltssl status` reads it); default `cells`. Differs when one cell of a study runs. */
  readonly planned?: readonly CellSpec[];
  /** Runs one cell; throwing records the cell as failed (with the message) and moves on. */
  readonly runCell: (cell: CellSpec) => Promise<CellResult>;
  /** Called once per cell with what happened; `result` is absent for skipped cells. */
  readonly onCell?: (cell: CellSpec, outcome: CellOutcome, result: CellResult | undefined, index: number) => void | Promise<void>;
  /** Called before a cell is computed. */
  readonly onStart?: (cell: CellSpec, index: number) => void;
}

export interface RunCellsSummary {
  readonly computed: number;
  readonly skipped: number;
  readonly failed: number;
}

/**
 * Runs a sweep's cells in order. A cell whose result file says 'done' for the
 * same configuration hash is never recomputed; anything else (no result, a
 * failed one, another configuration) is run, and its result written
 * atomically before the next cell starts, so a killed sweep loses at most the
 * cell in progress (and that one resumes from its own checkpoints).
 */
export async function runCells(o: RunCellsOptions): Promise<RunCellsSummary> {
  await mkdir(o.dir, { recursive: true });
  const plan: StudyPlan = { protocol: o.protocol, configHash: o.configHash, cells: o.planned ?? o.cells };
  await writeFile(join(o.dir, STUDY_FILES.config), JSON.stringify({ protocol: o.protocol, configHash: o.configHash, config: o.config }, null, 2) + '\n');
  await writeFile(join(o.dir, STUDY_FILES.plan), JSON.stringify(plan, null, 1) + '\n');
  const summary = { computed: 0, skipped: 0, failed: 0 };
  for (const [index, cell] of o.cells.entries()) {
    const existing = await readCellResult(o.dir, cell.id);
    if (existing?.status === 'done' && existing.configHash === o.configHash) {
      summary.skipped++;
      await o.onCell?.(cell, 'skipped', undefined, index);
      continue;
    }
    o.onStart?.(cell, index);
    const startedAt = new Date();
    let result: CellResult;
    try {
      result = await o.runCell(cell);
      summary.computed++;
    } catch (error) {
      const finishedAt = new Date();
      result = {
        cell,
        configHash: o.configHash,
        status: 'failed',
        error: error instanceof Error ? error.message : String(error),
        startedAt: startedAt.toISOString(),
        finishedAt: finishedAt.toISOString(),
        seconds: (finishedAt.getTime() - startedAt.getTime()) / 1000,
        metrics: {},
        memory: { peakRssBytes: process.resourceUsage().maxRSS * 1024 },
        environment: { driver: '', device: '', node: process.version, platform: `${process.platform}-${process.arch}`, ltsslVersion: '', packages: {} },
        data: { inDomain: '' },
      };
      summary.failed++;
    }
    await writeCellResult(o.dir, result);
    await o.onCell?.(cell, result.status === 'done' ? 'computed' : 'failed', result, index);
  }
  return summary;
}
