import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sampleCellResult } from '../results/sample-cell-results.js';
import type { CellSpec } from './cell.js';
import { writeCellResult } from './cell-files.js';
import { cellAtIndex, pendingPlanIndices, planIndexRange } from './plan-index.js';

let dir: string;
beforeEach(async () => (dir = await mkdtemp(join(tmpdir(), 'ltssl-plan-index-'))));
afterEach(async () => rm(dir, { recursive: true, force: true }));

const results = [0, 1, 2, 3, 4, 5].map((seed) => sampleCellResult({ seed, configHash: 'cfg-1' }));
const plan: CellSpec[] = results.map((r) => r.cell);

describe('plan indices', () => {
  it("name a cell by its position in the plan, and nothing outside it", () => {
    expect(cellAtIndex(plan, 0)).toBe(plan[0]);
    expect(cellAtIndex(plan, 5)).toBe(plan[5]);
    for (const outside of [-1, 6, 1.5, Number.NaN]) expect(cellAtIndex(plan, outside)).toBeUndefined();
    expect(planIndexRange(plan)).toBe('0-5');
    expect(planIndexRange(plan.slice(0, 1))).toBe('0');
    expect(planIndexRange([])).toBe('none (the plan is empty)');
  });

  it('pending: every cell without a finished result of the configuration, a failure, another configuration and a damaged file included', async () => {
    await writeCellResult(dir, results[0]!);
    await writeCellResult(dir, { ...results[1]!, status: 'failed', error: 'diverged', metrics: {} });
    await writeCellResult(dir, { ...results[2]!, configHash: 'cfg-0' });
    await writeCellResult(dir, results[4]!);
    await mkdir(join(dir, 'cells'), { recursive: true });
    await writeFile(join(dir, 'cells', `${plan[5]!.id}.json`), '{"cell": ');
    expect(await pendingPlanIndices(dir, plan, 'cfg-1')).toEqual([1, 2, 3, 5]);
    expect(await pendingPlanIndices(dir, plan, 'cfg-0')).toEqual([0, 1, 3, 4, 5]);
  });
});
