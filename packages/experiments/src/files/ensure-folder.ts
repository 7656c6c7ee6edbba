import { mkdir, rm, stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { writeFileAtomic } from '../checkpoint/atomic-write.js';
import { folderWriteError, FolderWriteError } from './folder-write-error.js';

async function kindOf(path: string): Promise<'folder' | 'file' | 'none'> {
  try {
    return (await stat(path)).isDirectory() ? 'folder' : 'file';
  } catch (error) {
    const code = (error as { code?: string }).code;
    // ENOTDIR: a level above is a file; the walk up finds which.
    if (code === 'ENOENT' || code === 'ENOTDIR') return 'none';
    throw error;
  }
}

/**
 * Creates `dir` and its missing parents one level at a time. Node's
 * recursive mkdir retries forever on a file system that answers ENOENT for a
 * folder that cannot be made there (/proc); here each level is made once and
 * a failure names the level and why. `role` says what the folder is for, in
 * the message: "the study folder (--out)".
 */
export async function ensureFolder(dir: string, role: string): Promise<void> {
  const path = resolve(dir);
  const missing: string[] = [];
  let at = path;
  for (;;) {
    const kind = await kindOf(at);
    if (kind === 'folder') break;
    if (kind === 'file') {
      throw new FolderWriteError(path, at === path ? `${dir}: is a file, not a folder; give a folder as ${role}` : `${dir}: ${at} is a file, not a folder, so ${role} cannot be made under it`);
    }
    missing.unshift(at);
    const parent = dirname(at);
    if (parent === at) break;
    at = parent;
  }
  for (const level of missing) {
    try {
      await mkdir(level);
    } catch (error) {
      const code = (error as { code?: string }).code;
      if (code === 'EEXIST' && (await kindOf(level)) === 'folder') continue; // made by another process meanwhile
      // ENOENT with the parent in place: a file system that holds no new folders (/proc, /sys).
      if (code === 'ENOENT') throw new FolderWriteError(level, `${dir}: cannot create ${role}: the file system of ${dirname(level)} does not allow new folders; give a folder on a writable disk`, { cause: error });
      throw folderWriteError(level, `create ${role} ${dir}`, error);
    }
  }
}

/**
 * Makes sure `dir` exists and this process can write into it, before any
 * work: creates it (ensureFolder), then writes and removes one small file
 * through the atomic writer, so a read-only file system, a missing
 * permission or a full disk is one line naming the folder now, not an error
 * after the first cell's training.
 */
export async function ensureWritableFolder(dir: string, role: string): Promise<void> {
  await ensureFolder(dir, role);
  // One name for every process: a probe a killed process left is overwritten and removed by the next check.
  const probe = resolve(dir, '.ltssl-write-check');
  try {
    await writeFileAtomic(probe, (sink) => sink(new Uint8Array([0x0a])));
  } catch (error) {
    if (error instanceof FolderWriteError) throw new FolderWriteError(dir, `${role} ${dir} is not writable: ${error.message.replace(`${probe}: `, '')}`, { cause: error });
    throw error;
  }
  await rm(probe, { force: true });
}
