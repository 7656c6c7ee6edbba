import { CounterRng, RNG_STREAMS } from '@ltssl/core';

/**
 * Where each transform's random draws sit among a view's draws. Each transform
 * owns fixed slots, so switching one off (no flip for the semi-synthetic set)
 * leaves the draws of the others, and thus their outcome, unchanged.
 */
export const DRAW_SLOTS = {
  /** RandomResizedCrop: 10 attempts x (scale, log-ratio), then (top, left): 22 draws. */
  crop: 0,
  /** RandomHorizontalFlip: 1 draw. */
  flip: 22,
  /** ColorJitter: apply?, 4 order keys, 4 factors: 9 draws. */
  colorJitter: 23,
  /** RandomGrayscale: 1 draw. */
  grayscale: 32,
} as const;

/** Draws reserved per view (32 + room for transforms to come). */
export const DRAWS_PER_VIEW = 64;
/** Views per sample the draw layout has room for (SimSiam, MoCo and SimCLR use 2). */
export const MAX_VIEWS = 8;
/** Largest sample index plus one: index * MAX_VIEWS * DRAWS_PER_VIEW stays below the RNG's 2^33 draws. */
export const MAX_SAMPLES = 2 ** 33 / (MAX_VIEWS * DRAWS_PER_VIEW);

/** What keys an epoch's augmentations: the run's seed and the epoch (the RNG step). */
export interface AugmentKey {
  /** The run's seed. */
  readonly seed: number;
  /** Epoch, from 0: every epoch draws new augmentations. */
  readonly epoch: number;
}

/**
 * The random draws of one view of one sample: uniform draws from CounterRng
 * (seed, stream `augment`, step = epoch) at index
 * (sample * MAX_VIEWS + view) * DRAWS_PER_VIEW + slot. A sample's augmentation
 * depends only on (seed, epoch, sample index, view), never on the batch it is
 * in, on which worker runs it, on prefetching or on a resume.
 */
export class ViewDraws {
  readonly #rng: CounterRng;
  #base = 0;

  constructor(key: AugmentKey) {
    this.#rng = new CounterRng(key.seed, RNG_STREAMS.augment, key.epoch);
  }

  /** Points the draws at view `view` of sample `sample` (the image's index in its set). */
  select(sample: number, view: number): this {
    if (!Number.isInteger(sample) || sample < 0 || sample >= MAX_SAMPLES) throw new RangeError(`augmentation sample index must be an integer in [0, ${MAX_SAMPLES}), got ${sample}`);
    if (!Number.isInteger(view) || view < 0 || view >= MAX_VIEWS) throw new RangeError(`augmentation view must be an integer in [0, ${MAX_VIEWS}), got ${view}`);
    this.#base = (sample * MAX_VIEWS + view) * DRAWS_PER_VIEW;
    return this;
  }

  /** Uniform in [0, 1) at `slot` of the selected view (a DRAW_SLOTS offset plus the transform's own index). */
  uniform(slot: number): number {
    return this.#rng.uniform(this.#base + slot);
  }
}

/** The uniform draws a transform reads: slot -> [0, 1). */
export interface Draws {
  uniform(slot: number): number;
}
