import { ERROR_CODES, LtsslError } from '@ltssl/core';

/**
 * A checkpoint or safetensors file that cannot be used as asked: a damaged or
 * truncated file, a header that breaks the format, metadata ltssl did not
 * write, or tensors that do not make the encoder they claim to. Its code is
 * LTSSL_CHECKPOINT_INVALID, so callers test it with `hasErrorCode`.
 */
export class CheckpointError extends LtsslError {
  constructor(
    message: string,
    /** The file that failed. */
    readonly file: string,
    /** The tensor the message is about, when there is one. */
    readonly tensor?: string,
    options?: ErrorOptions,
  ) {
    super(ERROR_CODES.checkpointInvalid, message, options);
    this.name = 'CheckpointError';
  }
}

/** `file: what`, or `file: tensor 'name': what`: the one shape every checkpoint error has. */
export function checkpointError(file: string, what: string, tensor?: string, options?: ErrorOptions): CheckpointError {
  return new CheckpointError(tensor === undefined ? `${file}: ${what}` : `${file}: tensor '${tensor}': ${what}`, file, tensor, options);
}

/** Lists names for a message, at most `limit` of them: "'a', 'b' and 3 more". */
export function listNames(names: readonly string[], limit = 8): string {
  const shown = names.slice(0, limit).map((n) => `'${n}'`);
  return names.length > limit ? `${shown.join(', ')} and ${names.length - limit} more` : shown.join(', ');
}

/** Why a file-system call failed, in words. */
export function describeFsError(error: unknown): string {
  const code = (error as { code?: string }).code;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EISDIR') return 'is a folder, not a file';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'ENOSPC') return 'no space left on the device';
  if (code === 'EDQUOT') return 'the disk quota is exhausted';
  if (code === 'EROFS') return 'the file system is read-only';
  if (code === 'ENOTDIR') return 'a part of the path is a file, not a folder';
  if (code === 'EEXIST') return 'it already exists';
  return error instanceof Error ? error.message : String(error);
}
