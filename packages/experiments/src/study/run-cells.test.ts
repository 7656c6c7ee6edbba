import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mountTmpfs, tmpfsUnavailable } from '@ltssl/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeFileAtomic } from '../checkpoint/atomic-write.js';
import { FolderWriteError } from '../files/folder-write-error.js';
import { readCellFile } from '../results/cell-result-files.js';
import { sampleCellResult } from '../results/sample-cell-results.js';
import type { CellResult, CellSpec } from './cell.js';
import { cellFile, STUDY_FILES } from './cell-files.js';
import { runCells, type CellOutcome, type RunCellsOptions } from './run-cells.js';
import { SweepStoppedError } from './sweep-stopped.js';

const results = [0, 1, 2].map((seed) => sampleCellResult({ seed }));
const cells: CellSpec[] = results.map((r) => r.cell);
const resultOf = (cell: CellSpec): CellResult => results.find((r) => r.cell.id === cell.id)!;

function options(dir: string, o: Partial<RunCellsOptions> = {}): RunCellsOptions {
  return { dir, protocol: 'imbalance', config: { seeds: 3 }, configHash: 'cfg-1', cells, runCell: async (cell) => resultOf(cell), ...o };
}

/** Every name under `dir` that is a temporary file or a lease left behind. */
async function leftovers(dir: string): Promise<string[]> {
  const names = await readdir(dir, { recursive: true });
  return names.filter((n) => /\.tmp$|\.lock$|\.owner\.[^/]*\.json$/.test(n));
}

describe('runCells', () => {
  let root: string;
  beforeAll(async () => void (root = await mkdtemp(join(tmpdir(), 'ltssl-run-cells-'))));
  afterAll(async () => rm(root, { recursive: true, force: true }));

  it('reports a bad cell file and computes its cell again, never aborting the others', async () => {
    const dir = join(root, 'bad-files');
    await runCells(options(dir));
    // Truncated, empty, a wrong status, a wrong-typed value under an intact hash: one verdict, 'rejected', for each.
    const file = (i: number): string => cellFile(dir, cells[i]!.id);
    await writeFile(file(0), (await readFile(file(0), 'utf8')).slice(0, 100));
    await writeFile(file(1), '{}');
    const typed = JSON.parse(await readFile(file(2), 'utf8')) as Record<string, unknown>;
    typed['seconds'] = 'soon';
    await writeFile(file(2), JSON.stringify(typed));
    const rejected: string[] = [];
    const computed: string[] = [];
    const summary = await runCells(
      options(dir, {
        onRejected: (_cell, r) => rejected.push(`${r.file}: ${r.reason}`),
        runCell: async (cell) => (computed.push(cell.id), resultOf(cell)),
      }),
    );
    expect(summary).toEqual({ computed: 3, skipped: 0, failed: 0, busy: 0 });
    expect(computed).toEqual(cells.map((c) => c.id));
    expect(rejected).toHaveLength(3);
    expect(rejected[0]).toMatch(/: not valid JSON/);
    expect(rejected[1]).toMatch(/: not a valid cell result: cell must be an object/);
    expect(rejected[2]).toMatch(/: not a valid cell result: seconds must be a finite number \(got "soon"\)/);
    for (const c of cells) expect(await readCellFile(dir, c.id)).toMatchObject({ result: resultOf(c) });
  });

  it('lets two sweeps share a folder: each cell is computed once, by whoever holds its lease', async () => {
    const dir = join(root, 'shared');
    const counts = new Map<string, number>();
    const outcomes: CellOutcome[] = [];
    // The first sweep holds cell 0 until the second one has met its lease.
    let met!: () => void;
    const secondMetCell0 = new Promise<void>((done) => (met = done));
    const first = runCells(
      options(dir, {
        runCell: async (cell) => {
          counts.set(cell.id, (counts.get(cell.id) ?? 0) + 1);
          if (cell.id === cells[0]!.id) await secondMetCell0;
          return resultOf(cell);
        },
        onCell: (_c, outcome) => void outcomes.push(outcome),
      }),
    );
    while (!existsSync(join(dir, STUDY_FILES.leases, `${cells[0]!.id}.lock`))) await new Promise((r) => setImmediate(r));
    const second = runCells(
      options(dir, {
        runCell: async (cell) => (counts.set(cell.id, (counts.get(cell.id) ?? 0) + 1), resultOf(cell)),
        onCell: (cell, outcome) => {
          outcomes.push(outcome);
          if (cell.id === cells[0]!.id) met();
        },
      }),
    );
    const [a, b] = await Promise.all([first, second]);
    expect(b.busy).toBeGreaterThanOrEqual(1);
    expect(a.computed + b.computed).toBe(3);
    expect([...counts.values()]).toEqual([1, 1, 1]);
    expect(await leftovers(dir)).toEqual([]);
  });

  it('stops before the next cell when its signal is aborted, keeping what is done', async () => {
    const dir = join(root, 'stop');
    const controller = new AbortController();
    const error = await runCells(options(dir, { signal: controller.signal, onCell: () => controller.abort(new Error('SIGTERM received')) })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SweepStoppedError);
    expect((error as SweepStoppedError).cell).toBe(cells[1]!.id);
    expect(await readdir(join(dir, STUDY_FILES.cells))).toEqual([`${cells[0]!.id}.json`]);
  });

  const noTmpfs = tmpfsUnavailable();
  it.skipIf(noTmpfs !== undefined)(`stops at the first cell that cannot be saved on a full disk, naming the file${noTmpfs ? ` (skipped: ${noTmpfs})` : ''}`, async () => {
    const fs = mountTmpfs('300k');
    try {
      const dir = join(fs.dir, 'study');
      const started: string[] = [];
      // Each cell writes a 100 KiB checkpoint, as a pre-training cell does, then its result file.
      const runCell = async (cell: CellSpec): Promise<CellResult> => {
        started.push(cell.id);
        await mkdir(join(dir, STUDY_FILES.checkpoints, cell.id), { recursive: true });
        await writeFileAtomic(join(dir, STUDY_FILES.checkpoints, cell.id, 'epoch-0001.safetensors'), (sink) => sink(new Uint8Array(100 * 1024)));
        return resultOf(cell);
      };
      const error = await runCells(options(dir, { runCell })).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(FolderWriteError);
      expect((error as Error).message).toMatch(/(epoch-0001\.safetensors: cannot write .*: no space left on the device|KiB free, but cell .* writes about \d+ KiB \(its checkpoints and result\)); free space there \(or give another --out\) and rerun: finished cells are kept/);
      // No cell after the first one that could not be saved was started, none was recorded as failed.
      const saved = (await readdir(join(dir, STUDY_FILES.cells))).map((n) => n.replace(/\.json$/, ''));
      expect(started.slice(0, saved.length)).toEqual(saved);
      expect(started.length).toBeLessThanOrEqual(saved.length + 1);
      for (const id of saved) expect(await readCellFile(dir, id)).toMatchObject({ result: { status: 'done' } });
      expect(JSON.parse(await readFile(join(dir, STUDY_FILES.config), 'utf8'))).toMatchObject({ configHash: 'cfg-1' });
      expect(await leftovers(dir)).toEqual([]);
    } finally {
      fs.unmount();
    }
  });
});
