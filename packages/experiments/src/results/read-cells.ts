import type Database from 'better-sqlite3';
import type { EpochMetrics } from '../train/pretrain.js';
import type { CellEnvironment, CellResult, MethodFamily, ProtocolName } from '../study/cell.js';

interface CellRow {
  id: string;
  protocol: string;
  method: string;
  family: string;
  n: number;
  r: number;
  seed: number;
  profile: string | null;
  status: 'done' | 'failed';
  error: string | null;
  config_hash: string;
  started_at: string;
  finished_at: string;
  seconds: number;
  peak_rss_bytes: number;
  device_bytes: number | null;
  environment: string;
  in_domain: string;
  out_of_domain: string | null;
}

/** Rows of one per-cell table, grouped by cell id, in insertion order (rowid). */
function grouped<T extends { cell: string }>(db: Database.Database, sql: string, id: string | null): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const row of db.prepare(sql).all({ id }) as T[]) {
    const list = groups.get(row.cell);
    if (list) list.push(row);
    else groups.set(row.cell, [row]);
  }
  return groups;
}

// `@id IS NULL` makes one statement serve both one cell and all of them.
const WHERE = 'WHERE @id IS NULL OR cell = @id ORDER BY cell, rowid';

/**
 * Cell results as they were stored: every field of the CellResult, optional
 * ones absent when they were (an empty list reads back as absent). One query
 * per table, grouped here, so reading a whole study is a handful of scans.
 */
export function readCellRows(db: Database.Database, id?: string): CellResult[] {
  const key = id ?? null;
  const cells = db
    .prepare(
      `SELECT c.*, e.json AS environment, d.in_domain, d.out_of_domain FROM cells c JOIN environment e ON e.cell = c.id JOIN data d ON d.cell = c.id
       WHERE @id IS NULL OR c.id = @id ORDER BY c.id`,
    )
    .all({ id: key }) as CellRow[];
  const metrics = grouped<{ cell: string; name: string; value: number }>(db, `SELECT cell, name, value FROM metrics ${WHERE}`, key);
  const perClass = grouped<{ cell: string; metric: string; class: number; value: number }>(db, `SELECT cell, metric, class, value FROM per_class ${WHERE}`, key);
  const counts = grouped<{ cell: string; class: number; count: number }>(db, `SELECT cell, class, count FROM class_counts ${WHERE}`, key);
  const epochs = grouped<{ cell: string; epoch: number; loss: number; monitors: string; knn: number | null; seconds: number }>(
    db,
    `SELECT cell, epoch, loss, monitors, knn, seconds FROM epoch_metrics ${WHERE}`,
    key,
  );
  return cells.map((row) => {
    const perClassRows = perClass.get(row.id) ?? [];
    const perClassValues: Record<string, number[]> = {};
    for (const p of perClassRows) (perClassValues[p.metric] ??= [])[p.class] = p.value;
    const countRows = counts.get(row.id) ?? [];
    const classCounts: number[] = [];
    for (const c of countRows) classCounts[c.class] = c.count;
    const epochRows = epochs.get(row.id) ?? [];
    return {
      cell: { id: row.id, protocol: row.protocol as ProtocolName, method: row.method, family: row.family as MethodFamily, n: row.n, r: row.r, seed: row.seed, ...(row.profile ? { profile: row.profile as 'exp' | 'step' } : {}) },
      configHash: row.config_hash,
      status: row.status,
      ...(row.error !== null ? { error: row.error } : {}),
      startedAt: row.started_at,
      finishedAt: row.finished_at,
      seconds: row.seconds,
      ...(countRows.length > 0 ? { classCounts } : {}),
      metrics: Object.fromEntries((metrics.get(row.id) ?? []).map((m) => [m.name, m.value])),
      ...(perClassRows.length > 0 ? { perClass: perClassValues } : {}),
      ...(epochRows.length > 0
        ? {
            epochs: epochRows.map(
              (e): EpochMetrics => ({
                epoch: e.epoch,
                loss: e.loss,
                monitors: JSON.parse(e.monitors) as Record<string, number>,
                ...(e.knn !== null ? { knnAccuracy: e.knn } : {}),
                seconds: e.seconds,
              }),
            ),
          }
        : {}),
      memory: { peakRssBytes: row.peak_rss_bytes, ...(row.device_bytes !== null ? { deviceBytes: row.device_bytes } : {}) },
      environment: JSON.parse(row.environment) as CellEnvironment,
      data: { inDomain: row.in_domain, ...(row.out_of_domain !== null ? { outOfDomain: row.out_of_domain } : {}) },
    };
  });
}
