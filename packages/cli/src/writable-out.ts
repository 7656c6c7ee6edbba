import { stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { ensureWritableFolder, isFolderWriteError } from '@ltssl/experiments';
import { UsageError } from './io.js';

/**
 * `--out DIR` made and checked writable before any work: a read-only file
 * system, a path through a file, no permission or a full disk is a usage
 * error (exit 2) naming the folder, not a failure after the training.
 */
export async function writableFolder(dir: string, role: string): Promise<void> {
  try {
    await ensureWritableFolder(dir, role);
  } catch (error) {
    if (isFolderWriteError(error)) throw new UsageError(error.message);
    throw error;
  }
}

/** `--out FILE`: its folder made and checked writable, and FILE not a folder, before any work. */
export async function writableFile(file: string, role: string): Promise<void> {
  const kind = await stat(file).then(
    (s) => (s.isDirectory() ? 'folder' : 'file'),
    () => 'none',
  );
  if (kind === 'folder') throw new UsageError(`${file}: is a folder; give ${role} as a file name`);
  await writableFolder(dirname(resolve(file)), `the folder of ${role}`);
}
