import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { csvField, RESULTS_CSV_COLUMNS, resultsCsv, writeResultsCsv } from './results-csv.js';
import { openStore } from './results-store.js';
import { sampleCellResult, sampleFailedCell } from './sample-cell-results.js';

/** A strict RFC 4180 reader: the test's own, so the writer is checked against the grammar, not against itself. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let i = 0;
  while (i < text.length) {
    let field = '';
    if (text[i] === '"') {
      i++;
      for (;;) {
        const q = text.indexOf('"', i);
        if (q < 0) throw new Error('unterminated quote');
        field += text.slice(i, q);
        i = q + 1;
        if (text[i] !== '"') break;
        field += '"';
        i++;
      }
    } else {
      const end = text.slice(i).search(/,|\r\n/);
      field = end < 0 ? text.slice(i) : text.slice(i, i + end);
      if (/["\r\n]/.test(field)) throw new Error(`unquoted special character in ${JSON.stringify(field)}`);
      i += field.length;
    }
    row.push(field);
    if (text.startsWith(',', i)) i++;
    else if (text.startsWith('\r\n', i)) {
      rows.push(row);
      row = [];
      i += 2;
    } else throw new Error(`expected , or CRLF at ${i}`);
  }
  return rows;
}

let dir: string;
beforeEach(async () => (dir = await mkdtemp(join(tmpdir(), 'ltssl-csv-'))));
afterEach(async () => rm(dir, { recursive: true, force: true }));

describe('results.csv', () => {
  it('quotes a field with a comma, a quote or a line break, and only those', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField(0.1)).toBe('0.1');
    expect(csvField(undefined)).toBe('');
    expect(csvField('CPU, ONNX Runtime')).toBe('"CPU, ONNX Runtime"');
    expect(csvField('loss is "NaN"')).toBe('"loss is ""NaN"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
  });

  it('has one row per (cell, metric) with the cell columns, a failed cell included, and parses back field for field', () => {
    const done = sampleCellResult();
    const failed = sampleFailedCell({ error: 'diverged at epoch 3, step 2: loss is "NaN"\nat pretrain' });
    const text = resultsCsv([done, failed]);
    const rows = parseCsv(text);
    expect(rows[0]).toEqual([...RESULTS_CSV_COLUMNS]);
    expect(rows).toHaveLength(1 + Object.keys(done.metrics).length + 1);
    const column = (row: string[], name: (typeof RESULTS_CSV_COLUMNS)[number]): string => row[RESULTS_CSV_COLUMNS.indexOf(name)]!;
    const doneRows = rows.filter((r) => column(r, 'cell_id') === done.cell.id);
    expect(doneRows.map((r) => [column(r, 'metric'), Number(column(r, 'value'))])).toEqual(Object.entries(done.metrics));
    expect(doneRows[0]).toEqual([
      done.cell.id, 'imbalance', 'simsiam', 'ssl', '600', '0.1', '0', 'done', '', 'cfg-1', 'onnx', 'CPU, ONNX Runtime 1.30.0', done.startedAt, done.finishedAt, '300.25',
      '512000000', '2000000600', 'fashion-mnist', 'mnist', 'id.linear', String(done.metrics['id.linear']),
    ]);
    const failedRow = rows.find((r) => column(r, 'cell_id') === failed.cell.id)!;
    expect(column(failedRow, 'status')).toBe('failed');
    expect(column(failedRow, 'error')).toBe(failed.error);
    expect([column(failedRow, 'metric'), column(failedRow, 'value'), column(failedRow, 'device_bytes')]).toEqual(['', '', '']);
    // The quoting as written, not only as read back.
    expect(text).toContain(',"diverged at epoch 3, step 2: loss is ""NaN""\nat pretrain",');
  });

  it('writes the same file from a store as from the results', async () => {
    const results = [sampleCellResult({ seed: 1 }), sampleFailedCell(), sampleCellResult({ seed: 0 })];
    const fromResults = join(dir, 'a.csv');
    const fromStore = join(dir, 'b.csv');
    expect(await writeResultsCsv(results, fromResults)).toBe(4 + 1 + 4);
    const store = openStore(join(dir, 'results.sqlite'));
    try {
      for (const r of results) store.putCell(r);
      expect(await writeResultsCsv(store, fromStore)).toBe(9);
    } finally {
      store.close();
    }
    const text = await readFile(fromStore, 'utf8');
    expect(text).toBe(await readFile(fromResults, 'utf8'));
    // Cells in id order: four metric rows each, one row for the failed cell.
    const failedId = sampleFailedCell().cell.id;
    const ids = results.map((r) => r.cell.id).sort();
    expect(parseCsv(text).slice(1).map((r) => r[0])).toEqual(ids.flatMap((id) => (id === failedId ? [id] : [id, id, id, id])));
  });
});
