import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CellResult } from '../study/cell.js';
import { openStore, type ResultsStore } from './results-store.js';
import { sampleCellResult, sampleFailedCell } from './sample-cell-results.js';
import { STORE_APPLICATION_ID, STORE_SCHEMA_VERSION } from './schema.js';

const PER_CELL_TABLES = ['cells', 'metrics', 'per_class', 'class_counts', 'epoch_metrics', 'environment', 'data'] as const;

let dir: string;
let file: string;
let store: ResultsStore | undefined;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ltssl-store-'));
  file = join(dir, 'results.sqlite');
});

afterEach(async () => {
  store?.close();
  store = undefined;
  await rm(dir, { recursive: true, force: true });
});

/** Rows per table for one cell, read with a connection of its own (what another reader would see). */
function rowCounts(id: string): Record<string, number> {
  const db = new Database(file, { readonly: true });
  try {
    return Object.fromEntries(PER_CELL_TABLES.map((t) => [t, db.prepare(`SELECT count(*) FROM ${t} WHERE ${t === 'cells' ? 'id' : 'cell'} = ?`).pluck().get(id) as number]));
  } finally {
    db.close();
  }
}

const results: CellResult[] = [
  sampleCellResult({ method: 'simsiam', r: 1, seed: 0 }),
  sampleCellResult({ method: 'simsiam', r: 0.1, seed: 1 }),
  sampleCellResult({ method: 'supervised', family: 'sl', r: 0.1, seed: 0 }),
  sampleCellResult({ method: 'random', family: 'random', r: 1, seed: 0 }),
  sampleFailedCell(),
];

describe('results store', () => {
  it('gives back every field of every cell, sorted by id, and the study runs', () => {
    store = openStore(file);
    for (const r of results) expect(store.putCell(r)).toBe('added');
    const sorted = [...results].sort((a, b) => (a.cell.id < b.cell.id ? -1 : 1));
    expect(store.cells()).toEqual(sorted);
    // toEqual ignores undefined fields; the failed cell must not grow optional fields it never had.
    expect(Object.keys(store.cell(results[4]!.cell.id)!).sort()).toEqual(Object.keys(results[4]!).sort());
    expect(store.cell(results[1]!.cell.id)).toEqual(results[1]);
    expect(store.cell('no-such-cell')).toBeUndefined();

    store.putRun({ configHash: 'cfg-1', protocol: 'imbalance', config: { seeds: 3, ratios: [1, 0.1] } });
    store.putRun({ configHash: 'cfg-1', protocol: 'imbalance', config: { seeds: 2 } });
    expect(store.runs()).toEqual([{ configHash: 'cfg-1', protocol: 'imbalance', config: { seeds: 2 } }]);

    // Another process opening the file later reads the same.
    store.close();
    store = openStore(file);
    expect(store.cells()).toEqual(sorted);
  });

  it('replaces a recomputed cell entirely, and leaves an identical one alone', () => {
    store = openStore(file);
    const first = sampleCellResult();
    store.putCell(first);
    store.putCell(sampleCellResult({ seed: 5 }));
    const { perClass: _dropped, ...rest } = first;
    const recomputed: CellResult = { ...rest, finishedAt: '2026-11-28T09:00:00.000Z', metrics: { 'id.linear': 0.75 }, epochs: [first.epochs![0]!], classCounts: [9, 8] };
    expect(store.putCell(recomputed)).toBe('replaced');
    expect(store.cell(first.cell.id)).toEqual(recomputed);
    expect(rowCounts(first.cell.id)).toEqual({ cells: 1, metrics: 1, per_class: 0, class_counts: 2, epoch_metrics: 1, environment: 1, data: 1 });
    expect(store.putCell(recomputed)).toBe('unchanged');
    // The other cell was not touched.
    expect(store.cell(sampleCellResult({ seed: 5 }).cell.id)).toEqual(sampleCellResult({ seed: 5 }));
  });

  it('stores each cell in one transaction: a bad value half way leaves no partial rows and keeps the old result', () => {
    store = openStore(file);
    const good = sampleCellResult();
    store.putCell(good);
    const before = rowCounts(good.cell.id);
    const bad: [string, CellResult][] = [
      // NaN becomes NULL in SQLite; metrics.value is NOT NULL. Fails after the cells row is in.
      ['a NaN metric', { ...good, metrics: { ...good.metrics, 'id.fewshot10': Number.NaN } }],
      // The epochs go in after metrics, per-class values and class counts.
      ['an epoch listed twice', { ...good, epochs: [...good.epochs!, good.epochs![1]!] }],
      // STRICT tables refuse a value they would otherwise coerce.
      ['a fractional n', { ...good, cell: { ...good.cell, n: 600.5 } }],
    ];
    for (const [what, result] of bad) {
      expect(() => store!.putCell(result), what).toThrow(new RegExp(`cell '${good.cell.id}' not stored .*nothing of it was written`));
      expect(rowCounts(good.cell.id), what).toEqual(before);
      expect(store.cell(good.cell.id), what).toEqual(good);
    }
    const fresh = { ...sampleCellResult({ seed: 9 }), epochs: [good.epochs![0]!, good.epochs![0]!] };
    expect(() => store!.putCell(fresh)).toThrow(/a value is listed twice/);
    expect(Object.values(rowCounts(fresh.cell.id))).toEqual(PER_CELL_TABLES.map(() => 0));
  });

  it('runs in WAL mode, kept in the file, so another connection reads while the store is open', () => {
    store = openStore(file);
    store.putCell(sampleCellResult());
    const reader = new Database(file, { readonly: true });
    try {
      expect(reader.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(reader.pragma('user_version', { simple: true })).toBe(STORE_SCHEMA_VERSION);
      expect(reader.pragma('application_id', { simple: true })).toBe(STORE_APPLICATION_ID);
      // A reader sees committed cells while the writer is still open.
      expect(reader.prepare('SELECT count(*) FROM cells').pluck().get()).toBe(1);
    } finally {
      reader.close();
    }
  });

  it('refuses a file of another schema version, another database, or no database, saying how to rebuild', async () => {
    openStore(file).close();
    const setVersion = (v: number): void => {
      const db = new Database(file);
      db.pragma(`user_version = ${v}`);
      db.close();
    };
    setVersion(STORE_SCHEMA_VERSION + 1);
    expect(() => openStore(file)).toThrow(
      `${file}: results store of schema version ${STORE_SCHEMA_VERSION + 1}, written by a newer ltssl (this one reads version ${STORE_SCHEMA_VERSION}); upgrade ltssl, or delete it and run 'ltssl collect' on its study folder to rebuild it from cells/*.json`,
    );
    setVersion(STORE_SCHEMA_VERSION - 1);
    expect(() => openStore(file)).toThrow(`results store of schema version ${STORE_SCHEMA_VERSION - 1}, older than this ltssl's version ${STORE_SCHEMA_VERSION}; delete it`);

    const other = join(dir, 'other.sqlite');
    const db = new Database(other);
    db.exec('CREATE TABLE notes (text TEXT)');
    db.close();
    expect(() => openStore(other)).toThrow(`${other}: not an ltssl results store (another SQLite database)`);
    // The foreign database was not switched to WAL or otherwise changed.
    const check = new Database(other, { readonly: true });
    expect(check.pragma('journal_mode', { simple: true })).toBe('delete');
    check.close();

    const text = join(dir, 'notes.sqlite');
    await writeFile(text, 'not a database at all, just some text that is long enough to have a header\n'.repeat(20));
    expect(() => openStore(text)).toThrow(`${text}: the results store is damaged (file is not a database); 'ltssl collect' rebuilds it from the cell files`);
    expect(() => openStore(join(dir, 'missing', 'results.sqlite'))).toThrow(/missing.results\.sqlite: cannot open the results store: .*check the folder exists/);
  });
});
