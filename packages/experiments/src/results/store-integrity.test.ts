import Database from 'better-sqlite3';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cellFile, STUDY_FILES, writeCellResult } from '../study/cell-files.js';
import { collect } from './collect.js';
import { openStore } from './results-store.js';
import { sampleCellResult, sampleFailedCell } from './sample-cell-results.js';

let dir: string;
const a = sampleCellResult({ seed: 0 });
const b = sampleCellResult({ seed: 1 });
const f = sampleFailedCell();

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ltssl-integrity-'));
  for (const r of [a, b, f]) await writeCellResult(dir, r);
  await collect(dir);
});
afterEach(async () => rm(dir, { recursive: true, force: true }));

const storeFile = (): string => join(dir, STUDY_FILES.store);
const csvValue = async (id: string, metric: string): Promise<string | undefined> =>
  (await readFile(join(dir, STUDY_FILES.csv), 'utf8'))
    .split('\r\n')
    .find((line) => line.startsWith(`${id},`) && line.includes(`,${metric},`))
    ?.split(',')
    .at(-1);

describe('the store is a copy of the cell files, checked row by row', () => {
  it('rewrites a value altered in the store from its cell file (the hash column alone would call it unchanged)', async () => {
    const db = new Database(storeFile());
    db.prepare("UPDATE metrics SET value = 0.999 WHERE cell = ? AND name = 'id.linear'").run(a.cell.id);
    db.prepare('UPDATE epoch_metrics SET loss = 7 WHERE cell = ? AND epoch = 1').run(b.cell.id);
    db.close();
    const s = await collect(dir);
    expect({ repaired: s.repaired, unchanged: s.unchanged, added: s.added }).toEqual({ repaired: 2, unchanged: 1, added: 0 });
    const store = openStore(storeFile());
    expect(store.cell(a.cell.id)!.metrics['id.linear']).toBe(a.metrics['id.linear']);
    expect(store.cell(b.cell.id)!.epochs![1]!.loss).toBe(b.epochs![1]!.loss);
    store.close();
    expect(await csvValue(a.cell.id, 'id.linear')).toBe(String(a.metrics['id.linear']));
    expect((await collect(dir)).unchanged).toBe(3);
  });

  it('removes a stored cell that has no cell file any more', async () => {
    await rm(cellFile(dir, b.cell.id));
    const s = await collect(dir);
    expect(s.removed).toBe(1);
    const store = openStore(storeFile());
    expect(store.cellIds()).toEqual([a.cell.id, f.cell.id].sort());
    store.close();
  });

  it('rebuilds a damaged store from the cell files, naming the file and keeping the damaged copy', async () => {
    const bytes = await readFile(storeFile());
    await writeFile(storeFile(), Buffer.concat([Buffer.from('garbage page '.repeat(8)), bytes.subarray(104)]));
    const s = await collect(dir);
    expect(s.rebuilt).toEqual({ why: expect.stringMatching(new RegExp(`^${storeFile()}: the results store is damaged \\(`)), movedTo: `${storeFile()}.damaged` });
    expect(s.added).toBe(3);
    expect((await readdir(dir)).filter((n) => n.startsWith(STUDY_FILES.store)).sort()).toEqual([STUDY_FILES.store, `${STUDY_FILES.store}.damaged`]);
    const store = openStore(storeFile());
    expect(store.cell(a.cell.id)!.metrics).toEqual(a.metrics);
    store.close();
  });

  it('rebuilds a store whose pages are damaged past its header', async () => {
    // Overwrite a page in the middle (SQLite pages are 4 KiB): quick_check finds it before any write.
    const bytes = await readFile(storeFile());
    expect(bytes.length).toBeGreaterThan(3 * 4096);
    bytes.fill(0xa5, 2 * 4096, 3 * 4096);
    await writeFile(storeFile(), bytes);
    const s = await collect(dir);
    expect(s.rebuilt?.why).toMatch(/results\.sqlite: the results store is damaged/);
    expect(s.cells).toBe(3);
  });
});

describe('cell files carry a content hash', () => {
  it('a value changed in a cell file is rejected by name, and the others are still collected', async () => {
    const file = cellFile(dir, a.cell.id);
    await writeFile(file, (await readFile(file, 'utf8')).replace(String(a.metrics['id.knn']), '0.123'));
    const s = await collect(dir);
    expect(s.rejected).toEqual([{ file, reason: "its content does not match its contentHash (the file was changed or damaged after it was written); delete it and rerun the study to recompute the cell" }]);
    expect(s.cells).toBe(2);
  });
});
