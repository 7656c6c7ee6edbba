import type { FitCallbacks } from './fit.js';

/** The phases a cell's progress names, in the order a cell runs them. */
export type ProgressPhase = 'pre-training' | 'features' | 'linear probe' | 'kNN' | 'fine-tuning';

/**
 * Where the evaluation of an encoder reports its steps (feature batches,
 * probe and fine-tuning steps, kNN query batches), so a person watching a
 * cell sees every phase move, not only pre-training. Optional everywhere it
 * is taken; the work is the same without it.
 */
export interface PhaseProgress {
  /** `done` of `total` steps of `phase` are finished; `loss` when the phase trains. */
  onPhaseStep?(phase: ProgressPhase, done: number, total: number, loss?: number): void;
}

/** The fit callbacks that report a training phase's steps over all its epochs. */
export function phaseCallbacks(progress: PhaseProgress | undefined, phase: ProgressPhase, epochs: number): readonly FitCallbacks[] {
  if (!progress?.onPhaseStep) return [];
  return [{ onStep: (s) => progress.onPhaseStep!(phase, s.epoch * s.steps + s.step + 1, epochs * s.steps, s.values['loss']) }];
}
