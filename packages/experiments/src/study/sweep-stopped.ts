import type { StopRequestedError } from '../train/stop-requested.js';

/**
 * A sweep stopped on request (a signal, a lost lease): where it stopped, so
 * the command can say what a rerun resumes. Finished cells are kept; the cell
 * in progress, if any, resumes from its newest checkpoint.
 */
export class SweepStoppedError extends Error {
  constructor(
    /** The cell in progress, or the next one when the stop came between cells. */
    readonly cell: string,
    /** Where the cell's training stopped, when it was training. */
    readonly inCell: StopRequestedError | undefined,
    readonly reason: unknown,
  ) {
    super(`the sweep stopped ${inCell ? `in cell ${cell} (${inCell.message})` : `before cell ${cell}`}`);
    this.name = 'SweepStoppedError';
  }

  /** "cell X resumes from its checkpoint after epoch 2 and 5 steps", "cell X starts again", or "" between cells. */
  describeResume(): string {
    if (!this.inCell) return '';
    const at = this.inCell.checkpoint;
    if (!at || (at.epochs === 0 && at.steps === 0)) return `cell ${this.cell} starts again (it had no checkpoint yet)`;
    return `cell ${this.cell} resumes from its checkpoint after epoch ${at.epochs}${at.steps > 0 ? ` and ${at.steps} steps` : ''}`;
  }
}

export function isSweepStopped(error: unknown): error is SweepStoppedError {
  return error instanceof SweepStoppedError;
}
