import { createHash } from 'node:crypto';
import type { StateDict } from '@ltssl/core';
import { encodeElements } from './safetensors-dtypes.js';

/** The `__metadata__` key of a checkpoint's content hash (format 2). */
export const CONTENT_HASH_KEY = 'ltssl.content_hash';

/**
 * SHA-256 of a checkpoint's content: every metadata entry but the hash
 * itself, then every tensor's name, dtype, shape and bytes as the file holds
 * them (little-endian), both in name order. Written into the file's metadata
 * and recomputed on read, so a flipped byte anywhere, a NaN planted in a
 * tensor or an edited metadata value is caught before a run resumes from it.
 */
export function checkpointContentHash(state: StateDict, metadata: Readonly<Record<string, string>>): string {
  const hash = createHash('sha256');
  for (const key of Object.keys(metadata).filter((k) => k !== CONTENT_HASH_KEY).sort()) hash.update(JSON.stringify([key, metadata[key]]));
  for (const name of Object.keys(state).sort()) {
    const t = state[name]!;
    hash.update(JSON.stringify([name, t.dtype, t.shape]));
    hash.update(encodeElements(t.data));
  }
  return hash.digest('hex');
}
