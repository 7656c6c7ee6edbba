import { ERROR_CODES, LtsslError } from '@ltssl/core';

/** A non-finite loss or gradient norm: training stops at that step, never carries NaN on. */
export class TrainingDivergedError extends LtsslError {
  constructor(
    readonly method: string,
    readonly epoch: number,
    readonly step: number,
    readonly loss: number,
    readonly gradNorm: number,
    readonly lastFiniteLoss: number | undefined,
  ) {
    super(
      ERROR_CODES.trainingDiverged,
      `${method} diverged at epoch ${epoch + 1}, step ${step + 1}: loss ${loss}, gradient norm ${gradNorm}` +
        `${lastFiniteLoss === undefined ? ' (no step had finished)' : `; the last finite loss was ${lastFiniteLoss.toPrecision(6)}`}; lower the learning rate or check the data`,
    );
    this.name = 'TrainingDivergedError';
  }
}
