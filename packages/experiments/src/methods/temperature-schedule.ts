import { z } from 'zod';
import { positiveNumberOption } from './method-options.js';

/** A cosine temperature schedule's bounds and period. */
export interface CosineTemperature {
  /** tau_-, the lowest temperature. */
  readonly min: number;
  /** tau_+, the highest, and the one at t = 0. */
  readonly max: number;
  /** T, in epochs. */
  readonly periodEpochs: number;
}

/**
 * Kukleva et al. (ICLR 2023), "Temperature schedules for self-supervised
 * contrastive methods on long-tail data", eq. 3:
 *   tau(t) = tau_- + (tau_+ - tau_-) (1 + cos(2 pi t / T)) / 2,
 * t in epochs (fractional within an epoch: evaluated per step). A high tau
 * favours group-wise (class-level) structure, a low tau instance
 * discrimination; cycling between them helps the tail classes.
 */
export function cosineTemperature(s: CosineTemperature, epochs: number): number {
  return s.min + ((s.max - s.min) * (1 + Math.cos((2 * Math.PI * epochs) / s.periodEpochs))) / 2;
}

/**
 * The option: each bound optional, defaults tau_- = 0.1, tau_+ = 1 and
 * T = 200 epochs (the authors' code; the paper's schedule figure).
 */
export const cosineTemperatureOption = () =>
  z
    .strictObject({
      /** tau_-, > 0. Default 0.1. */
      min: positiveNumberOption().optional(),
      /** tau_+, > tau_-. Default 1. */
      max: positiveNumberOption().optional(),
      /** T in epochs, > 0. Default 200. */
      periodEpochs: positiveNumberOption().optional(),
    })
    .refine((s) => (s.min ?? 0.1) < (s.max ?? 1), { error: (issue) => `min must be below max, got ${JSON.stringify(issue.input)}` });

export function resolveCosineTemperature(o: z.output<ReturnType<typeof cosineTemperatureOption>>): CosineTemperature {
  return { min: o.min ?? 0.1, max: o.max ?? 1, periodEpochs: o.periodEpochs ?? 200 };
}
