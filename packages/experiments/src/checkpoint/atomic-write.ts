import { randomBytes } from 'node:crypto';
import { open, rename, rm, type FileHandle } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { describeFsError } from './checkpoint-error.js';

/** Writes bytes to the file being built; resolves once all of them are written. */
export type ByteSink = (bytes: Uint8Array) => Promise<void>;

/**
 * Temporary files start with '.' and end with '.tmp', so no reader that looks
 * for '*.safetensors' ever takes one for a checkpoint.
 */
export function isTemporaryFile(name: string): boolean {
  return name.startsWith('.') && name.endsWith('.tmp');
}

function temporaryName(file: string): string {
  return join(dirname(file), `.${basename(file)}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`);
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

function ioError(file: string, action: string, error: unknown): Error {
  return new Error(`${file}: cannot ${action}: ${describeFsError(error)}; check the folder exists, is writable and has free space`, { cause: error });
}

/**
 * Writes `file` so that it is either its old self or complete, never partial:
 * `write` fills a temporary file in the same directory (a rename does not
 * cross file systems), which is fsynced, renamed over `file`, and the
 * directory fsynced. If `write` or any step fails the temporary file is
 * removed and the error rethrown; `file` is untouched.
 */
export async function writeFileAtomic(file: string, write: (sink: ByteSink) => Promise<void>): Promise<void> {
  const temporary = temporaryName(file);
  let handle: FileHandle;
  try {
    handle = await open(temporary, 'wx', 0o644);
  } catch (error) {
    throw ioError(file, `create the temporary file ${temporary}`, error);
  }
  let failed = true;
  try {
    await write(async (bytes) => {
      try {
        await writeAll(handle, bytes);
      } catch (error) {
        throw ioError(file, `write ${temporary}`, error);
      }
    });
    await handle.sync().catch((error: unknown) => {
      throw ioError(file, `fsync ${temporary}`, error);
    });
    await handle.close();
    await rename(temporary, file).catch((error: unknown) => {
      throw ioError(file, `rename ${temporary} to it`, error);
    });
    failed = false;
  } finally {
    if (failed) {
      await handle.close().catch(() => undefined); // already closed when the rename failed
      await rm(temporary, { force: true });
    }
  }
  await syncDirectory(dirname(file));
}
