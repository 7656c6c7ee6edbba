import { Linear } from '@ltssl/core';

/** Both arms' representation lives in slot 'encoder.weight': W [m, d]. */
export const TOY_ENCODER_PREFIX = 'encoder.';
export const TOY_WEIGHT_SLOT = `${TOY_ENCODER_PREFIX}weight`;

/** Input dimension d and representation width m. */
export interface ToyShape {
  readonly dim: number;
  readonly width: number;
}

/**
 * The representation x -> W x of the paper's theory section: linear, no bias.
 * Its initial W is PyTorch's Linear default, U(-1/sqrt(d), 1/sqrt(d)), drawn
 * from the seed and the slot name, so SL and SSL cells of one seed start from
 * the same W.
 */
export function toyEncoder(shape: ToyShape): Linear {
  return new Linear(shape.dim, shape.width, false);
}
