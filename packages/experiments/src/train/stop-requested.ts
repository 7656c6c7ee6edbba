/**
 * A run stopped on request (SIGINT, SIGTERM, SIGHUP, a lost lease) at the end
 * of a step: not a failure, so no result is recorded and a rerun resumes it.
 * `checkpointEpochs` says what a rerun resumes from when it is known: the
 * epochs (and steps of the next epoch) of the newest checkpoint.
 */
export class StopRequestedError extends Error {
  constructor(
    /** What was training: 'simclr', 'linear probe', 'toy-sl'. */
    readonly what: string,
    readonly epoch: number,
    readonly step: number,
    readonly reason: unknown,
    readonly checkpoint?: { readonly epochs: number; readonly steps: number },
  ) {
    super(`${what} stopped ${describeStop(epoch, step)}: ${reason instanceof Error ? reason.message : String(reason)}`);
    this.name = 'StopRequestedError';
  }

  /** "at the start of epoch 2", "in epoch 2 after 3 steps" (counting from 1, as people do). */
  get where(): string {
    return describeStop(this.epoch, this.step);
  }

  /** The same stop, saying where a rerun resumes. */
  withCheckpoint(epochs: number, steps: number): StopRequestedError {
    return new StopRequestedError(this.what, this.epoch, this.step, this.reason, { epochs, steps });
  }
}

function describeStop(epoch: number, step: number): string {
  return step === 0 ? `at the start of epoch ${epoch + 1}` : `in epoch ${epoch + 1} after ${step} step${step === 1 ? '' : 's'}`;
}

export function isStopRequested(error: unknown): error is StopRequestedError {
  return error instanceof StopRequestedError;
}
