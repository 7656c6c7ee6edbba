/**
 * Errors carry a stable string code, so a caller can recognise them across
 * package copies: an external driver built against its own copy of @ltssl/core
 * throws errors whose class is not ours, but whose `code` is.
 */
export const ERROR_CODES = {
  /** An op's inputs or attributes break its rule (shape, dtype, attribute range). */
  irInvalid: 'LTSSL_IR_INVALID',
  /** A Program's signature is inconsistent (duplicate names, bad update, unknown output). */
  programInvalid: 'LTSSL_PROGRAM_INVALID',
  /** A feed passed to Executable.run does not match the Program's inputs. */
  feedInvalid: 'LTSSL_FEED_INVALID',
  /** A state dict passed to writeState, or a shared slot, does not match the Program's slots. */
  stateInvalid: 'LTSSL_STATE_INVALID',
  /** A driver was asked to compile an op it does not implement. */
  opNotImplemented: 'LTSSL_OP_NOT_IMPLEMENTED',
  /** A driver was asked for a dtype it does not support. */
  dtypeUnsupported: 'LTSSL_DTYPE_UNSUPPORTED',
  /** A driver cannot start on this machine (no library, no adapter, no device). */
  driverUnavailable: 'LTSSL_DRIVER_UNAVAILABLE',
  /** A driver name, module or selection that cannot be resolved. */
  driverSelection: 'LTSSL_DRIVER_SELECTION',
  /** An executable was used after dispose, or with another driver's executable. */
  executableMisuse: 'LTSSL_EXECUTABLE_MISUSE',
  /** A data file or dataset folder is malformed, truncated, or not what was asked for. */
  dataInvalid: 'LTSSL_DATA_INVALID',
  /** A training step produced a non-finite loss or gradient norm. */
  trainingDiverged: 'LTSSL_TRAINING_DIVERGED',
  /** A checkpoint or safetensors file is malformed, truncated, or does not hold the model it should. */
  checkpointInvalid: 'LTSSL_CHECKPOINT_INVALID',
} as const;

export type ErrorCode = (typeof ERROR_CODES)[keyof typeof ERROR_CODES];

export class LtsslError extends Error {
  readonly code: ErrorCode;

  constructor(code: ErrorCode, message: string, options?: ErrorOptions) {
    super(message, options);
    this.code = code;
    this.name = 'LtsslError';
  }
}

/** True when `error` carries `code`, whichever copy of core created it. */
export function hasErrorCode(error: unknown, code: ErrorCode): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === code;
}
