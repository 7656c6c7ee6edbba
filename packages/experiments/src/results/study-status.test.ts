import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { STUDY_FILES, writeCellResult, type StudyPlan } from '../study/cell-files.js';
import { sampleCellResult, sampleFailedCell } from './sample-cell-results.js';
import { studyStatus } from './study-status.js';

let dir: string;
beforeEach(async () => (dir = await mkdtemp(join(tmpdir(), 'ltssl-status-'))));
afterEach(async () => rm(dir, { recursive: true, force: true }));

describe('studyStatus', () => {
  it('sorts the planned cells the way ltssl run treats them', async () => {
    const done = sampleCellResult({ seed: 0 });
    const failedHere = sampleFailedCell({ seed: 1 });
    const failedElsewhere = sampleFailedCell({ seed: 2, configHash: 'cfg-0' });
    const stale = sampleCellResult({ seed: 3, configHash: 'cfg-0' });
    const missing = sampleCellResult({ seed: 4 }).cell;
    const unplanned = sampleCellResult({ seed: 9 });
    const plan: StudyPlan = { protocol: 'imbalance', configHash: 'cfg-1', cells: [done.cell, failedHere.cell, failedElsewhere.cell, stale.cell, missing] };
    await writeFile(join(dir, STUDY_FILES.plan), JSON.stringify(plan));
    for (const r of [done, failedHere, failedElsewhere, stale, unplanned]) await writeCellResult(dir, r);
    await writeFile(join(dir, STUDY_FILES.cells, 'broken.json'), '[1, 2');

    const s = await studyStatus(dir);
    expect(s.done).toEqual([done]);
    expect(s.failed).toEqual([failedHere, failedElsewhere]);
    expect(s.pending).toEqual([stale.cell, missing]);
    expect(s.stale).toEqual([stale]);
    expect(s.unplanned).toEqual([unplanned]);
    expect(s.rejected.map((r) => r.file)).toEqual([join(dir, STUDY_FILES.cells, 'broken.json')]);
  });

  it('says what is wrong when the folder is not a study folder', async () => {
    await expect(studyStatus(join(dir, 'absent'))).rejects.toThrow(`${join(dir, 'absent')}: not a study folder (no such folder); give the --out folder of 'ltssl run', which writes plan.json`);
    await expect(studyStatus(dir)).rejects.toThrow(`${dir}: not a study folder (no plan.json)`);
    await writeFile(join(dir, 'file'), 'x');
    await expect(studyStatus(join(dir, 'file'))).rejects.toThrow('not a study folder (a file, not a folder)');
    await writeFile(join(dir, STUDY_FILES.plan), JSON.stringify({ protocol: 'imbalance', cells: [] }));
    await expect(studyStatus(dir)).rejects.toThrow(`${join(dir, STUDY_FILES.plan)}: not a study plan (needs protocol, configHash and cells with ids)`);
    await mkdir(join(dir, 'sub'));
    await writeFile(join(dir, 'sub', STUDY_FILES.plan), '{');
    await expect(studyStatus(join(dir, 'sub'))).rejects.toThrow(/plan\.json: not valid JSON/);
  });
});
