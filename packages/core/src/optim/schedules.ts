/**
 * Learning-rate schedules, computed on the host and fed as the Program's `lr`
 * input each step.
 */

export interface CosineScheduleOptions {
  readonly baseLr: number;
  /** Epochs of linear warm-up from 0 (at epoch 0) to baseLr (at warmupEpochs). Default 0. */
  readonly warmupEpochs?: number;
  readonly totalEpochs: number;
  /** The floor the cosine decays to. Default 0. */
  readonly minLr?: number;
}

/**
 * Cosine decay with linear warm-up, as a function of fractional epoch
 * (epoch + (step + 1) / stepsPerEpoch, so the first step's rate is not 0). Without warm-up, lr(e) = min + (base - min) *
 * (1 + cos(pi e / total)) / 2, SimSiam's schedule.
 */
export function cosineLr(options: CosineScheduleOptions, epoch: number): number {
  const { baseLr, totalEpochs } = options;
  const warmup = options.warmupEpochs ?? 0;
  const minLr = options.minLr ?? 0;
  if (epoch < warmup) return (baseLr * epoch) / warmup;
  const progress = totalEpochs > warmup ? Math.min(1, (epoch - warmup) / (totalEpochs - warmup)) : 1;
  return minLr + ((baseLr - minLr) * (1 + Math.cos(Math.PI * progress))) / 2;
}

export interface MultiStepScheduleOptions {
  readonly baseLr: number;
  /** Epochs at which the rate is multiplied by gamma (the linear probe: [60, 80]). */
  readonly milestones: readonly number[];
  /** Default 0.1. */
  readonly gamma?: number;
}

/** lr = base * gamma^(number of milestones <= epoch), torch's MultiStepLR. */
export function multiStepLr(options: MultiStepScheduleOptions, epoch: number): number {
  const passed = options.milestones.filter((m) => epoch >= m).length;
  return options.baseLr * (options.gamma ?? 0.1) ** passed;
}
