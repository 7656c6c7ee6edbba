import Database from 'better-sqlite3';
import { ERROR_CODES, LtsslError } from '@ltssl/core';
import type { CellResult } from '../study/cell.js';
import { faultPoint } from '../files/fault-points.js';
import { FolderWriteError } from '../files/folder-write-error.js';
import { cellContentHash } from './content-hash.js';
import { storedForm } from './stored-form.js';
import { readCellRows } from './read-cells.js';
import { prepareSchema } from './schema.js';

/** A study's configuration as `ltssl run` wrote it (study.json), keyed by its hash. */
export interface StudyRun {
  readonly configHash: string;
  readonly protocol: string;
  readonly config: unknown;
}

/**
 * What putCell did: a new cell, a cell whose stored result differed, the same
 * result again, or a cell whose rows had been altered or damaged under an
 * unchanged hash (rewritten from the file).
 */
export type PutCellOutcome = 'added' | 'replaced' | 'unchanged' | 'repaired';

/**
 * The results of a study in one SQLite file (DESIGN.md, "Results"): built by
 * `ltssl collect` from the cell files, read by reports and by anyone with
 * SQL. One writer at a time; readers never block it (WAL).
 */
export interface ResultsStore {
  readonly file: string;
  /**
   * Stores a cell's result in one transaction, replacing an older result of the same cell id. A cell
   * already stored is checked row by row against `result`, and rewritten when any row differs.
   */
  putCell(result: CellResult): PutCellOutcome;
  /** Removes a cell and its rows (a cell with no result file any more). */
  removeCell(id: string): void;
  /** The ids of the stored cells, sorted. */
  cellIds(): string[];
  cell(id: string): CellResult | undefined;
  /** Every stored cell, sorted by id. */
  cells(): CellResult[];
  putRun(run: StudyRun): void;
  runs(): StudyRun[];
  close(): void;
}

/** SQLite's answer for a file whose pages are damaged, or that is not a database at all. */
export function isDamagedStoreError(error: unknown): boolean {
  const code = (error as { code?: string }).code ?? ((error as { cause?: { code?: string } }).cause?.code);
  return code === 'SQLITE_CORRUPT' || code === 'SQLITE_NOTADB' || (error instanceof StoreDamagedError);
}

/** A results store whose file is damaged: rebuild it from the cell files (openStudyStore does). */
export class StoreDamagedError extends LtsslError {
  constructor(
    readonly file: string,
    what: string,
    options?: ErrorOptions,
  ) {
    super(ERROR_CODES.dataInvalid, `${file}: the results store is damaged (${what}); 'ltssl collect' rebuilds it from the cell files`, options);
    this.name = 'StoreDamagedError';
  }
}

function openError(file: string, error: unknown): LtsslError {
  const message = error instanceof Error ? error.message : String(error);
  if (isDamagedStoreError(error)) return new StoreDamagedError(file, message, { cause: error });
  const code = (error as { code?: string }).code;
  const remedy = /bindings file|better_sqlite3\.node|NODE_MODULE_VERSION/.test(message)
    ? "better-sqlite3's native module is missing or built for another Node.js; run 'npm rebuild better-sqlite3' (it builds with node-gyp: python3, make and a C++ compiler)"
    : code === 'SQLITE_FULL'
      ? 'free space there and rerun: the cell files are kept'
      : code === 'SQLITE_READONLY' || code === 'SQLITE_CANTOPEN'
        ? 'check the folder exists and is writable'
        : 'check the folder exists, is writable and has free space';
  return new LtsslError(ERROR_CODES.dataInvalid, `${file}: cannot open the results store: ${message}; ${remedy}`, { cause: error });
}

/** Names the file in any SQLite error of a store operation (SQLite's own messages name none). */
function storeError(file: string, action: string, error: unknown): Error {
  if (error instanceof LtsslError) return error;
  const message = error instanceof Error ? error.message : String(error);
  if (isDamagedStoreError(error)) return new StoreDamagedError(file, message, { cause: error });
  if ((error as { code?: string }).code === 'SQLITE_FULL') return new FolderWriteError(file, `${file}: cannot ${action}: ${message}; free space there (or give another --out) and rerun: finished cells are kept`, { cause: error });
  return new LtsslError(ERROR_CODES.dataInvalid, `${file}: cannot ${action}: ${message}`, { cause: error });
}

/**
 * Opens (creating when absent) the results store in `file`. Refuses a file
 * that is not an ltssl store or is of another schema version, saying how to
 * rebuild it.
 */
export function openStore(file: string): ResultsStore {
  let db: Database.Database;
  try {
    db = new Database(file, { timeout: 10_000 });
  } catch (error) {
    throw openError(file, error);
  }
  try {
    // Damaged pages show here rather than in the middle of a later write.
    const check = db.pragma('quick_check', { simple: true });
    if (check !== 'ok') throw new StoreDamagedError(file, `SQLite's quick_check says: ${String(check)}`);
    prepareSchema(db, file);
    // WAL: a report can read while collect writes. synchronous=NORMAL may lose
    // the last transaction on power loss but never corrupts the file, and the
    // cell files it was built from are kept.
    const mode = db.pragma('journal_mode = WAL', { simple: true });
    if (mode !== 'wal') throw new LtsslError(ERROR_CODES.dataInvalid, `${file}: SQLite refused WAL mode (journal mode '${String(mode)}'); put the study folder on a local file system`);
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
  } catch (error) {
    db.close();
    if (error instanceof LtsslError) throw error;
    throw openError(file, error);
  }
  return new SqliteResultsStore(db, file);
}

const nullable = <T>(value: T | undefined): T | null => (value === undefined ? null : value);

class SqliteResultsStore implements ResultsStore {
  private readonly storedHash;
  private readonly remove;
  private readonly insertCell;
  private readonly insertMetric;
  private readonly insertPerClass;
  private readonly insertClassCount;
  private readonly insertEpoch;
  private readonly insertEnvironment;
  private readonly insertData;
  private readonly insertRun;
  private readonly put: (result: CellResult, hash: string) => PutCellOutcome;

  constructor(
    private readonly db: Database.Database,
    readonly file: string,
  ) {
    this.storedHash = db.prepare('SELECT content_hash FROM cells WHERE id = ?').pluck();
    this.remove = db.prepare('DELETE FROM cells WHERE id = ?');
    this.insertCell = db.prepare(
      `INSERT INTO cells (id, protocol, method, family, n, r, seed, profile, status, error, driver, device, config_hash, started_at, finished_at, seconds, peak_rss_bytes, device_bytes, content_hash)
       VALUES (@id, @protocol, @method, @family, @n, @r, @seed, @profile, @status, @error, @driver, @device, @configHash, @startedAt, @finishedAt, @seconds, @peakRssBytes, @deviceBytes, @contentHash)`,
    );
    this.insertMetric = db.prepare('INSERT INTO metrics (cell, name, value) VALUES (?, ?, ?)');
    this.insertPerClass = db.prepare('INSERT INTO per_class (cell, metric, class, value) VALUES (?, ?, ?, ?)');
    this.insertClassCount = db.prepare('INSERT INTO class_counts (cell, class, count) VALUES (?, ?, ?)');
    this.insertEpoch = db.prepare('INSERT INTO epoch_metrics (cell, epoch, loss, monitors, knn, seconds) VALUES (?, ?, ?, ?, ?, ?)');
    this.insertEnvironment = db.prepare(
      'INSERT INTO environment (cell, driver, device, node, platform, ltssl_version, lockfile_hash, git_commit, json) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
    );
    this.insertData = db.prepare('INSERT INTO data (cell, in_domain, out_of_domain) VALUES (?, ?, ?)');
    this.insertRun = db.prepare('INSERT INTO runs (config_hash, protocol, config) VALUES (?, ?, ?) ON CONFLICT (config_hash) DO UPDATE SET protocol = excluded.protocol, config = excluded.config');
    // One transaction per cell: a failure anywhere rolls back the delete too,
    // so the store holds either the old result or the new one, never a mix.
    this.put = db.transaction((r: CellResult, hash: string): PutCellOutcome => {
      const id = r.cell.id;
      const previous = this.storedHash.get(id) as string | undefined;
      // The hash column alone would miss an edited or damaged row: the rows are read back and compared.
      if (previous === hash) {
        const stored = readCellRows(this.db, id)[0];
        if (stored && cellContentHash(stored) === cellContentHash(storedForm(r))) return 'unchanged';
      }
      this.remove.run(id);
      const env = r.environment;
      const { protocol, method, family, n, r: ratio, seed } = r.cell;
      this.insertCell.run({
        id,
        protocol,
        method,
        family,
        n,
        r: ratio,
        seed,
        profile: nullable(r.cell.profile),
        status: r.status,
        error: nullable(r.error),
        driver: env.driver,
        device: env.device,
        configHash: r.configHash,
        startedAt: r.startedAt,
        finishedAt: r.finishedAt,
        seconds: r.seconds,
        peakRssBytes: r.memory.peakRssBytes,
        deviceBytes: nullable(r.memory.deviceBytes),
        contentHash: hash,
      });
      for (const [name, value] of Object.entries(r.metrics)) this.insertMetric.run(id, name, value);
      for (const [metric, values] of Object.entries(r.perClass ?? {})) values.forEach((value, c) => this.insertPerClass.run(id, metric, c, value));
      (r.classCounts ?? []).forEach((count, c) => this.insertClassCount.run(id, c, count));
      for (const e of r.epochs ?? []) this.insertEpoch.run(id, e.epoch, e.loss, JSON.stringify(e.monitors), nullable(e.knnAccuracy), e.seconds);
      this.insertEnvironment.run(id, env.driver, env.device, env.node, env.platform, env.ltsslVersion, nullable(env.lockfileHash), nullable(env.gitCommit), JSON.stringify(env));
      this.insertData.run(id, r.data.inDomain, nullable(r.data.outOfDomain));
      void faultPoint('store', id);
      return previous === undefined ? 'added' : previous === hash ? 'repaired' : 'replaced';
    }).immediate;
  }

  putCell(result: CellResult): PutCellOutcome {
    try {
      return this.put(result, cellContentHash(result));
    } catch (error) {
      if (isDamagedStoreError(error) || (error as { code?: string }).code === 'SQLITE_FULL') throw storeError(this.file, `store cell '${result.cell.id}'`, error);
      const message = error instanceof Error ? error.message : String(error);
      const hint = /NOT NULL constraint/.test(message) ? ': a value is NaN or missing' : /UNIQUE constraint|PRIMARY KEY/.test(message) ? ': a value is listed twice' : '';
      throw new LtsslError(
        ERROR_CODES.dataInvalid,
        `${this.file}: cell '${result.cell.id}' not stored (${message}${hint}); nothing of it was written and its previous result, if any, is kept; fix or rerun the cell`,
        { cause: error },
      );
    }
  }

  /** Runs a store operation, naming the file in its error. */
  private guard<T>(action: string, work: () => T): T {
    try {
      return work();
    } catch (error) {
      throw storeError(this.file, action, error);
    }
  }

  removeCell(id: string): void {
    this.guard(`remove cell '${id}'`, () => this.remove.run(id));
  }

  cellIds(): string[] {
    return this.guard('list its cells', () => this.db.prepare('SELECT id FROM cells ORDER BY id').pluck().all() as string[]);
  }

  cell(id: string): CellResult | undefined {
    return this.guard(`read cell '${id}'`, () => readCellRows(this.db, id)[0]);
  }

  cells(): CellResult[] {
    return this.guard('read its cells', () => readCellRows(this.db));
  }

  putRun(run: StudyRun): void {
    this.guard('store the study configuration', () => this.insertRun.run(run.configHash, run.protocol, JSON.stringify(run.config ?? null)));
  }

  runs(): StudyRun[] {
    const rows = this.guard('read its runs', () => this.db.prepare('SELECT config_hash, protocol, config FROM runs ORDER BY config_hash').all() as { config_hash: string; protocol: string; config: string }[]);
    return rows.map((row) => ({ configHash: row.config_hash, protocol: row.protocol, config: JSON.parse(row.config) as unknown }));
  }

  close(): void {
    this.db.close();
  }
}
