import { statfs } from 'node:fs/promises';
import { FolderWriteError } from './folder-write-error.js';

/** Bytes an unprivileged writer may still use on the file system of `dir`. */
export async function freeBytes(dir: string): Promise<number> {
  const s = await statfs(dir);
  return s.bavail * s.bsize;
}

const kib = (bytes: number): string => `${Math.ceil(bytes / 1024)} KiB`;

/**
 * Refuses to start work whose writes will not fit: `needed` bytes (what the
 * work is expected to write) against what the file system of `dir` has
 * free. `what` names the work in the message: "cell imbalance_simclr_n600_r1_s0".
 */
export async function checkFreeSpace(dir: string, needed: number, what: string): Promise<void> {
  const free = await freeBytes(dir);
  if (free < needed) {
    throw new FolderWriteError(dir, `${dir}: ${kib(free)} free, but ${what} writes about ${kib(needed)} (its checkpoints and result); free space there (or give another --out) and rerun: finished cells are kept`);
  }
}
