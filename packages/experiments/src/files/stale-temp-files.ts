import { readdir, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { THIS_WRITER, writerMayBeAlive, type WriterTag } from './writer-tag.js';

/**
 * The temporary file name of an atomic write of `file` by `writer`:
 * '.NAME.HOST-PID-RANDOM.tmp' beside it. It starts with '.' and ends with
 * '.tmp', so no reader that looks for '*.json' or 'epoch-*.safetensors' takes
 * it for a result, and it names its writer, so a later writer can tell a file
 * left by a killed process from one still being written.
 */
export function temporaryFileName(file: string, random: string, writer: WriterTag = THIS_WRITER): string {
  return join(dirname(file), `.${basename(file)}.${writer.host}-${writer.pid}-${random}.tmp`);
}

const TEMPORARY = /^\.(.+)\.([A-Za-z0-9_]+)-(\d+)-([0-9a-f]+)\.tmp$/;

/** The target and writer of a temporary file name, or undefined when it is not one. */
export function parseTemporaryFileName(name: string): { readonly target: string; readonly writer: WriterTag } | undefined {
  const m = TEMPORARY.exec(name);
  return m ? { target: m[1]!, writer: { host: m[2]!, pid: Number(m[3]) } } : undefined;
}

/**
 * Removes the temporary files of `file` that a writer on this host left when
 * it was killed (its pid is gone): only temporaries of this target, never
 * another host's (which may still be writing) nor a live process's. Returns
 * the names removed. A folder that cannot be listed has nothing to sweep.
 */
export async function sweepStaleTemporaries(file: string): Promise<string[]> {
  const dir = dirname(file);
  const target = basename(file);
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const name of names) {
    const parsed = parseTemporaryFileName(name);
    if (!parsed || parsed.target !== target || writerMayBeAlive(parsed.writer)) continue;
    await rm(join(dir, name), { force: true });
    removed.push(name);
  }
  return removed;
}
