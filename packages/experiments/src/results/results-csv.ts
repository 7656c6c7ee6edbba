import { writeFileAtomic } from '../checkpoint/atomic-write.js';
import type { CellResult } from '../study/cell.js';
import type { ResultsStore } from './results-store.js';

/** The columns of results.csv: the cell's own, then one metric and its value. */
export const RESULTS_CSV_COLUMNS = [
  'cell_id',
  'protocol',
  'method',
  'family',
  'n',
  'r',
  'seed',
  'status',
  'error',
  'config_hash',
  'driver',
  'device',
  'started_at',
  'finished_at',
  'seconds',
  'peak_rss_bytes',
  'device_bytes',
  'in_domain',
  'out_of_domain',
  'metric',
  'value',
] as const;

/** One field as RFC 4180 writes it: quoted, with quotes doubled, when it holds a comma, a quote or a line break. */
export function csvField(value: string | number | undefined): string {
  const text = value === undefined ? '' : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function cellColumns(r: CellResult): (string | number | undefined)[] {
  const { cell, environment: env } = r;
  return [cell.id, cell.protocol, cell.method, cell.family, cell.n, cell.r, cell.seed, r.status, r.error, r.configHash, env.driver, env.device, r.startedAt, r.finishedAt, r.seconds, r.memory.peakRssBytes, r.memory.deviceBytes, r.data.inDomain, r.data.outOfDomain];
}

/**
 * results.csv as text: a header, then one row per (cell, metric), cells in id
 * order. A cell without metrics (a failed one) still gets one row, with empty
 * metric and value, so failures show up in a spreadsheet too. Lines end in
 * CRLF, as RFC 4180 says.
 */
export function resultsCsv(results: readonly CellResult[]): string {
  return csvLines(results).join('\r\n') + '\r\n';
}

function csvLines(results: readonly CellResult[]): string[] {
  const lines = [RESULTS_CSV_COLUMNS.join(',')];
  for (const r of [...results].sort((a, b) => (a.cell.id < b.cell.id ? -1 : a.cell.id > b.cell.id ? 1 : 0))) {
    const columns = cellColumns(r);
    const metrics = Object.entries(r.metrics);
    for (const [metric, value] of metrics.length > 0 ? metrics : [[undefined, undefined] as const]) lines.push([...columns, metric, value].map(csvField).join(','));
  }
  return lines;
}

/** Writes results.csv atomically from a store or from results; returns the number of data rows. */
export async function writeResultsCsv(source: ResultsStore | readonly CellResult[], file: string): Promise<number> {
  const results = Array.isArray(source) ? (source as readonly CellResult[]) : (source as ResultsStore).cells();
  const lines = csvLines(results);
  const bytes = new TextEncoder().encode(lines.join('\r\n') + '\r\n');
  await writeFileAtomic(file, async (sink) => sink(bytes));
  return lines.length - 1;
}
