import { randomBytes } from 'node:crypto';
import { open, rename, rm, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import { faultPoint } from '../files/fault-points.js';
import { folderWriteError } from '../files/folder-write-error.js';
import { sweepStaleTemporaries, temporaryFileName } from '../files/stale-temp-files.js';

/** Writes bytes to the file being built; resolves once all of them are written. */
export type ByteSink = (bytes: Uint8Array) => Promise<void>;

/**
 * Temporary files start with '.' and end with '.tmp', so no reader that looks
 * for '*.safetensors' ever takes one for a checkpoint.
 */
export function isTemporaryFile(name: string): boolean {
  return name.startsWith('.') && name.endsWith('.tmp');
}

async function writeAll(handle: FileHandle, bytes: Uint8Array): Promise<void> {
  let done = 0;
  while (done < bytes.length) {
    const { bytesWritten } = await handle.write(bytes, done, bytes.length - done);
    done += bytesWritten;
  }
}

/**
 * Makes a rename durable: on POSIX systems the new directory entry survives a
 * power loss only once the directory itself is fsynced. Windows cannot open a
 * directory for this and orders renames itself, so it is skipped there.
 */
async function syncDirectory(dir: string): Promise<void> {
  if (process.platform === 'win32') return;
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Bytes written by atomic writes in this process: what a sweep measures a cell's writes by. */
let written = 0;
export function bytesWrittenAtomically(): number {
  return written;
}

/**
 * Writes `file` so that it is either its old self or complete, never partial:
 * `write` fills a temporary file named for this writer (host, pid, a random
 * suffix) in the same directory (a rename does not cross file systems), which
 * is fsynced, renamed over `file`, and the directory fsynced. The temporary
 * files of `file` that killed writers on this host left are removed first. If
 * `write` or any step fails the temporary file is removed and the error
 * rethrown (a file-system failure as a FolderWriteError naming `file`); `file`
 * is untouched. Every file a study writes goes through here.
 */
export async function writeFileAtomic(file: string, write: (sink: ByteSink) => Promise<void>): Promise<void> {
  await sweepStaleTemporaries(file);
  const temporary = temporaryFileName(file, randomBytes(4).toString('hex'));
  let handle: FileHandle;
  try {
    handle = await open(temporary, 'wx', 0o644);
  } catch (error) {
    throw folderWriteError(file, `create the temporary file ${temporary}`, error);
  }
  let failed = true;
  let first = true;
  try {
    await write(async (bytes) => {
      try {
        await writeAll(handle, bytes);
        written += bytes.length;
        // A planted fault stands for this write failing, or for the process dying half way through the file.
        if (first && bytes.length > 0) {
          first = false;
          await faultPoint('write', file);
        }
      } catch (error) {
        throw folderWriteError(file, `write ${temporary}`, error);
      }
    });
    await handle.sync().catch((error: unknown) => {
      throw folderWriteError(file, `fsync ${temporary}`, error);
    });
    await handle.close();
    await faultPoint('rename', file);
    await rename(temporary, file).catch((error: unknown) => {
      throw folderWriteError(file, `rename ${temporary} to it`, error);
    });
    failed = false;
  } finally {
    if (failed) {
      await handle.close().catch(() => undefined); // already closed when the rename failed
      await rm(temporary, { force: true });
    }
  }
  await syncDirectory(dirname(file)).catch((error: unknown) => {
    throw folderWriteError(file, `fsync its folder ${dirname(file)}`, error);
  });
}

/** `value` as indented JSON, written atomically: study.json, plan.json, cell files. */
export async function writeJsonAtomic(file: string, value: unknown, indent = 1): Promise<void> {
  const bytes = new TextEncoder().encode(JSON.stringify(value, null, indent) + '\n');
  await writeFileAtomic(file, (sink) => sink(bytes));
}
