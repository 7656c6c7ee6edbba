import { describeFsError } from '../checkpoint/checkpoint-error.js';

/**
 * A file of the study folder that could not be written: no space, a
 * read-only or vanished folder, no permission. Unlike a cell's own failure
 * this stops the sweep, since every cell after it would fail the same way
 * after doing its work; the message names the file and what to do.
 */
export class FolderWriteError extends Error {
  constructor(
    /** The file that could not be written. */
    readonly file: string,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = 'FolderWriteError';
  }
}

/** What to do about a failed write, by its errno code. */
function remedy(code: string | undefined): string {
  if (code === 'ENOSPC' || code === 'EDQUOT') return 'free space there (or give another --out) and rerun: finished cells are kept';
  if (code === 'EROFS') return 'the file system is read-only: give an --out on a writable one';
  if (code === 'EACCES' || code === 'EPERM') return 'make the folder writable by this user, or give another --out';
  return 'check the folder exists, is writable and has free space';
}

/** `file: cannot ACTION: WHY; WHAT TO DO`, as a FolderWriteError. */
export function folderWriteError(file: string, action: string, error: unknown): FolderWriteError {
  const code = (error as { code?: string }).code;
  return new FolderWriteError(file, `${file}: cannot ${action}: ${describeFsError(error)}; ${remedy(code)}`, { cause: error });
}

export function isFolderWriteError(error: unknown): error is FolderWriteError {
  return error instanceof FolderWriteError;
}
