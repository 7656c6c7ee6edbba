import { createHash } from 'node:crypto';
import type { CellResult } from '../study/cell.js';
import { canonicalJson } from '../train/config-hash.js';

/**
 * SHA-256 of a cell result's canonical JSON: two copies of a cell (two
 * machines, a file and the store) are the same result exactly when their
 * hashes are equal, whatever their key order. Computed on what JSON keeps, so
 * a result read back from its file hashes like the one that was written.
 */
export function cellContentHash(result: CellResult): string {
  return createHash('sha256').update(canonicalJson(result)).digest('hex');
}
