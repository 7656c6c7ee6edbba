import { ERROR_CODES, LtsslError } from '@ltssl/core';

/**
 * A data file or dataset folder that cannot be read as asked: a wrong magic
 * number, a count that disagrees with the file size, a truncated or corrupt
 * gzip stream, a label out of range, a folder with nothing recognisable.
 * Its code is LTSSL_DATA_INVALID, so callers test it with `hasErrorCode`.
 */
export class DataFormatError extends LtsslError {
  constructor(
    message: string,
    /** The file or folder that failed. */
    readonly file: string,
    /** The byte offset the message refers to (in the inflated data for a gzip file), when there is one. */
    readonly offset?: number,
    options?: ErrorOptions,
  ) {
    super(ERROR_CODES.dataInvalid, message, options);
    this.name = 'DataFormatError';
  }
}

/** `file: byte offset: what`, the one shape every reader error has. */
export function dataError(file: string, offset: number, what: string, options?: ErrorOptions): DataFormatError {
  return new DataFormatError(`${file}: byte ${offset}: ${what}`, file, offset, options);
}

/** Bytes in words for messages, in binary units: '45 MiB', '1.0 GiB'. */
export function formatBytes(bytes: number): string {
  const units = ['bytes', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${bytes} bytes` : `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}
