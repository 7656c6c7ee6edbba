import type Database from 'better-sqlite3';
import { ERROR_CODES, LtsslError } from '@ltssl/core';

/**
 * The results store's schema version, kept in SQLite's `user_version`. Bump it
 * with every change to SCHEMA below.
 */
export const STORE_SCHEMA_VERSION = 1;

/** 'LTSL' in SQLite's `application_id`: tells our files from any other SQLite database. */
export const STORE_APPLICATION_ID = 0x4c54534c;

/**
 * One row per cell in `cells`; every other per-cell table references it with
 * ON DELETE CASCADE, so deleting a cell's row removes all of its results and a
 * recomputed cell can be replaced in one statement. Tables are STRICT: a
 * non-integer n or a text where a number belongs is refused, not coerced, and
 * NOT NULL refuses NaN (which SQLite, like JSON, stores as NULL).
 */
const SCHEMA = `
CREATE TABLE runs (
  config_hash TEXT PRIMARY KEY,
  protocol TEXT NOT NULL,
  config TEXT NOT NULL CHECK (json_valid(config))
) STRICT;

CREATE TABLE cells (
  id TEXT PRIMARY KEY,
  protocol TEXT NOT NULL,
  method TEXT NOT NULL,
  family TEXT NOT NULL CHECK (family IN ('ssl', 'sl', 'random')),
  n INTEGER NOT NULL,
  r REAL NOT NULL,
  seed INTEGER NOT NULL,
  profile TEXT,
  status TEXT NOT NULL CHECK (status IN ('done', 'failed')),
  error TEXT,
  driver TEXT NOT NULL,
  device TEXT NOT NULL,
  config_hash TEXT NOT NULL,
  started_at TEXT NOT NULL,
  finished_at TEXT NOT NULL,
  seconds REAL NOT NULL,
  peak_rss_bytes INTEGER NOT NULL,
  device_bytes INTEGER,
  content_hash TEXT NOT NULL
) STRICT;
CREATE INDEX cells_by_point ON cells (protocol, method, n, r, seed);

CREATE TABLE metrics (
  cell TEXT NOT NULL REFERENCES cells (id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  value REAL NOT NULL,
  PRIMARY KEY (cell, name)
) STRICT;

CREATE TABLE per_class (
  cell TEXT NOT NULL REFERENCES cells (id) ON DELETE CASCADE,
  metric TEXT NOT NULL,
  class INTEGER NOT NULL,
  value REAL NOT NULL,
  PRIMARY KEY (cell, metric, class)
) STRICT;

CREATE TABLE class_counts (
  cell TEXT NOT NULL REFERENCES cells (id) ON DELETE CASCADE,
  class INTEGER NOT NULL,
  count INTEGER NOT NULL,
  PRIMARY KEY (cell, class)
) STRICT;

CREATE TABLE epoch_metrics (
  cell TEXT NOT NULL REFERENCES cells (id) ON DELETE CASCADE,
  epoch INTEGER NOT NULL,
  loss REAL NOT NULL,
  monitors TEXT NOT NULL CHECK (json_valid(monitors)),
  knn REAL,
  seconds REAL NOT NULL,
  PRIMARY KEY (cell, epoch)
) STRICT;

CREATE TABLE environment (
  cell TEXT PRIMARY KEY REFERENCES cells (id) ON DELETE CASCADE,
  driver TEXT NOT NULL,
  device TEXT NOT NULL,
  node TEXT NOT NULL,
  platform TEXT NOT NULL,
  ltssl_version TEXT NOT NULL,
  lockfile_hash TEXT,
  git_commit TEXT,
  json TEXT NOT NULL CHECK (json_valid(json))
) STRICT;

CREATE TABLE data (
  cell TEXT PRIMARY KEY REFERENCES cells (id) ON DELETE CASCADE,
  in_domain TEXT NOT NULL,
  out_of_domain TEXT
) STRICT;
`;

// The store is derived data: cells/*.json are the source of truth, so the
// remedy for any mismatch is to rebuild it, never to edit it by hand.
const REBUILD = "delete it and run 'ltssl collect' on its study folder to rebuild it from cells/*.json";

function schemaError(file: string, what: string): LtsslError {
  return new LtsslError(ERROR_CODES.dataInvalid, `${file}: ${what}`);
}

/**
 * Creates the schema in an empty database, or checks that an existing one is
 * ours and of this version. There are no migrations yet (version 1 is the
 * first); an older or newer file is refused with the way to rebuild it, since
 * the cell files it was built from are kept.
 */
export function prepareSchema(db: Database.Database, file: string): void {
  const applicationId = db.pragma('application_id', { simple: true }) as number;
  const version = db.pragma('user_version', { simple: true }) as number;
  const tables = db.prepare("SELECT count(*) FROM sqlite_schema WHERE type = 'table'").pluck().get() as number;
  if (applicationId === 0 && version === 0 && tables === 0) {
    db.transaction(() => {
      db.exec(SCHEMA);
      db.pragma(`application_id = ${STORE_APPLICATION_ID}`);
      db.pragma(`user_version = ${STORE_SCHEMA_VERSION}`);
    })();
    return;
  }
  if (applicationId !== STORE_APPLICATION_ID) throw schemaError(file, `not an ltssl results store (another SQLite database); move it away or ${REBUILD}`);
  if (version < STORE_SCHEMA_VERSION) throw schemaError(file, `results store of schema version ${version}, older than this ltssl's version ${STORE_SCHEMA_VERSION}; ${REBUILD}`);
  if (version > STORE_SCHEMA_VERSION) throw schemaError(file, `results store of schema version ${version}, written by a newer ltssl (this one reads version ${STORE_SCHEMA_VERSION}); upgrade ltssl, or ${REBUILD}`);
}
