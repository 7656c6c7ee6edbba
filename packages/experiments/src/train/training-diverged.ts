import { ERROR_CODES, LtsslError } from '@ltssl/core';

/** How the message names a checked output. */
const LABELS: Readonly<Record<string, string>> = { loss: 'loss', gradNorm: 'gradient norm' };

/**
 * A non-finite loss or gradient norm: training stops at that step, never
 * carries NaN on. `what` names the run ('simclr', 'linear probe', 'fine-tune',
 * 'toy-sl'); epoch and step count from 0 here and from 1 in the message.
 */
export class TrainingDivergedError extends LtsslError {
  constructor(
    readonly what: string,
    readonly epoch: number,
    readonly step: number,
    /** The step's checked values: 'loss', and 'gradNorm' where the program has one. */
    readonly values: Readonly<Record<string, number>>,
    readonly lastFiniteLoss: number | undefined,
  ) {
    super(
      ERROR_CODES.trainingDiverged,
      `${what} diverged at epoch ${epoch + 1}, step ${step + 1}: ${Object.entries(values)
        .map(([name, v]) => `${LABELS[name] ?? name} ${v}`)
        .join(', ')}` +
        `${lastFiniteLoss === undefined ? ' (no step had finished)' : `; the last finite loss was ${lastFiniteLoss.toPrecision(6)}`}; lower the learning rate or check the data`,
    );
    this.name = 'TrainingDivergedError';
  }
}
