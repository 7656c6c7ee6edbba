import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CellResult } from '../study/cell.js';
import { STUDY_FILES, writeCellResult } from '../study/cell-files.js';
import { readCellResult } from './cell-result-files.js';
import { collect } from './collect.js';
import { openStore } from './results-store.js';
import { sampleCellResult, sampleFailedCell } from './sample-cell-results.js';

let root: string;
let home: string;
let machine2: string;
let plain: string;

const a = sampleCellResult({ seed: 0 });
const b = sampleCellResult({ seed: 1 });
const cOld = sampleCellResult({ seed: 2, finishedAt: '2026-11-27T10:00:00.000Z' });
const cNew: CellResult = { ...sampleCellResult({ seed: 2, finishedAt: '2026-11-27T12:00:00.000Z' }), metrics: { 'id.linear': 0.61 } };
const d = sampleCellResult({ method: 'random', family: 'random', seed: 0 });
const failed = sampleFailedCell();

async function writeStudyConfig(dir: string): Promise<void> {
  await writeFile(join(dir, STUDY_FILES.config), JSON.stringify({ protocol: 'imbalance', configHash: 'cfg-1', config: { seeds: 3 } }));
}

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'ltssl-collect-'));
  home = join(root, 'study');
  machine2 = join(root, 'machine2');
  plain = join(root, 'plain');
  await mkdir(home);
  await writeStudyConfig(home);
  for (const r of [a, cOld, failed]) await writeCellResult(home, r);
  // A copy of the study from another machine: one cell the same, one new, one recomputed later.
  await mkdir(machine2);
  await writeStudyConfig(machine2);
  for (const r of [a, b, cNew]) await writeCellResult(machine2, r);
  // A plain folder of result files, with one that is not a result.
  await mkdir(plain);
  await writeFile(join(plain, `${d.cell.id}.json`), JSON.stringify(d));
  await writeFile(join(plain, 'notes.json'), '{"not": "a cell"');
});

afterEach(async () => rm(root, { recursive: true, force: true }));

describe('collect', () => {
  it('merges two other folders with an overlap into the study folder, its store and results.csv', async () => {
    // A study copy with no cells yet adds nothing (its study.json is not taken for a result), and the
    // study folder given again is read once.
    const fresh = join(root, 'fresh');
    await mkdir(fresh);
    await writeStudyConfig(fresh);
    const s = await collect(home, [machine2, plain, fresh, home]);
    // Four metrics for a, b and d, one for the recomputed c, one row for the failure.
    expect(s).toMatchObject({ folders: 4, cells: 5, added: 5, replaced: 0, unchanged: 0, failed: 1, runs: 1, csvRows: 3 * 4 + 1 + 1 });
    expect(s.copied.map((c) => [c.id, c.replaced]).sort()).toEqual([[b.cell.id, false], [cNew.cell.id, true], [d.cell.id, false]].sort());
    expect(s.conflicts).toHaveLength(1);
    expect(s.conflicts[0]).toMatchObject({ id: cOld.cell.id, kept: { file: join(machine2, 'cells', `${cNew.cell.id}.json`) }, reason: 'newer finishedAt' });
    expect(s.rejected).toEqual([{ file: join(plain, 'notes.json'), reason: expect.stringMatching(/^not valid JSON .*; it is damaged or truncated: delete it and rerun the study to recompute the cell$/) }]);

    // The study folder now holds every cell, the newer c among them: the files stay the source of truth.
    expect((await readdir(join(home, 'cells'))).sort()).toEqual([a, b, cNew, d, failed].map((r) => `${r.cell.id}.json`).sort());
    expect(await readCellResult(home, cNew.cell.id)).toEqual(cNew);
    expect(await readCellResult(home, d.cell.id)).toEqual(d);

    const store = openStore(s.store);
    try {
      expect(store.cells()).toEqual([a, b, cNew, d, failed].sort((x, y) => (x.cell.id < y.cell.id ? -1 : 1)));
      expect(store.runs()).toEqual([{ configHash: 'cfg-1', protocol: 'imbalance', config: { seeds: 3 } }]);
    } finally {
      store.close();
    }
    const csv = await readFile(join(home, STUDY_FILES.csv), 'utf8');
    expect(csv.split('\r\n').filter((line) => line.startsWith(cNew.cell.id))).toHaveLength(1);
  });

  it('finds nothing new the second time, and replaces a cell whose file was recomputed', async () => {
    await collect(home, [machine2]);
    const again = await collect(home, [machine2]);
    expect(again).toMatchObject({ cells: 4, added: 0, replaced: 0, unchanged: 4, copied: [], conflicts: [], rejected: [] });

    const recomputed = { ...a, finishedAt: '2026-11-28T08:00:00.000Z', metrics: { 'id.linear': 0.7 } };
    await writeCellResult(home, recomputed);
    const third = await collect(home);
    expect(third).toMatchObject({ added: 0, replaced: 1, unchanged: 3 });
    const store = openStore(third.store);
    try {
      expect(store.cell(a.cell.id)).toEqual(recomputed);
    } finally {
      store.close();
    }
  });

  it('refuses a folder that does not exist, naming it, before writing anything', async () => {
    await expect(collect(home, [join(root, 'nowhere')])).rejects.toThrow(`${join(root, 'nowhere')}: no such folder; give a study folder or a folder of cell result files`);
    await expect(collect(join(root, 'nope'))).rejects.toThrow(`${join(root, 'nope')}: no such folder; give the study folder (the --out of 'ltssl run')`);
    expect(await readdir(home)).not.toContain(STUDY_FILES.store);
  });
});
