import { hostname } from 'node:os';

/**
 * This process as a writer of the study folder: the host (letters, digits and
 * '_' only, so the tag can sit inside a file name) and the pid. Temporary
 * files and lease owners carry it, so a later process can tell which of them
 * were left by a writer that is gone.
 */
export interface WriterTag {
  readonly host: string;
  readonly pid: number;
}

export const THIS_WRITER: WriterTag = { host: hostname().replace(/[^A-Za-z0-9]/g, '_') || 'host', pid: process.pid };

/**
 * True when `writer` may still be running: a process on another host always
 * may (nothing here can see it), one on this host only while its pid exists.
 * Signal 0 tests for the pid without signalling it; EPERM means it exists
 * under another user.
 */
export function writerMayBeAlive(writer: WriterTag): boolean {
  if (writer.host !== THIS_WRITER.host) return true;
  if (writer.pid === THIS_WRITER.pid) return true;
  try {
    process.kill(writer.pid, 0);
    return true;
  } catch (error) {
    return (error as { code?: string }).code === 'EPERM';
  }
}
