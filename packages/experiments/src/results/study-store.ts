import { rename, rm } from 'node:fs/promises';
import { isDamagedStoreError, openStore, type ResultsStore } from './results-store.js';

export interface OpenedStudyStore {
  readonly store: ResultsStore;
  /** Set when the file was damaged: what SQLite said, and where the damaged file was moved. */
  readonly replaced?: { readonly why: string; readonly movedTo: string };
}

/**
 * Moves a damaged store (and its WAL files) aside to FILE.damaged, so the
 * next open starts an empty one to be rebuilt from the cell files; the
 * damaged copy is kept for whoever wants to look at it.
 */
export async function moveDamagedStore(file: string): Promise<string> {
  const aside = `${file}.damaged`;
  await rm(aside, { force: true });
  await rename(file, aside).catch((error: unknown) => {
    if ((error as { code?: string }).code !== 'ENOENT') throw error;
  });
  for (const suffix of ['-wal', '-shm']) await rm(`${file}${suffix}`, { force: true });
  return aside;
}

/**
 * Opens a study folder's store; a damaged file (pages SQLite cannot read, or
 * not a database) is moved aside and an empty store opened, which the caller
 * fills from the cell files: the store is only ever a copy of them.
 */
export async function openStudyStore(file: string): Promise<OpenedStudyStore> {
  try {
    return { store: openStore(file) };
  } catch (error) {
    if (!isDamagedStoreError(error)) throw error;
    const movedTo = await moveDamagedStore(file);
    return { store: openStore(file), replaced: { why: (error as Error).message, movedTo } };
  }
}
