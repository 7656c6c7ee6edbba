import { hostTensor, type HostTensor } from '@ltssl/core';
import type { AugmentPool, PendingBatch } from '../data/augment/augment-pool.js';
import type { Augmenter } from '../data/augment/pipeline.js';
import { trainBatches } from '../data/batches.js';
import type { ImageSet } from '../data/image-set.js';
import type { FitEpoch } from './fit.js';
import { timed, type PhaseTimer } from './phase-timer.js';

/** The epochs of a run on images: what pre-training, the augmented probe and fine-tuning feed `fit`. */
export interface ImageEpochs {
  readonly set: ImageSet;
  /** The training images: `set` restricted to these. */
  readonly indices: ArrayLike<number>;
  readonly batch: number;
  /**
   * Draws each epoch's views; its output size is the step program's [height,
   * width]. A pool builds the next step's views while the current step runs.
   */
  readonly augmenter: Augmenter | AugmentPool;
  readonly height: number;
  readonly width: number;
  readonly seed: number;
  /** 1: feed 'x'; 2: feed 'x1', 'x2' (two views of each image). */
  readonly views: 1 | 2;
  /** Feed 'labels' int32 [B]. */
  readonly labels: boolean;
  /** Feed 'weights' float32 [B]: the weight of each image (rwSAM), read when the step is fed. */
  readonly weightOf?: (image: number) => number;
  /** A benchmark's timer: building a step's views counts as 'augmentation'. */
  readonly timing?: PhaseTimer;
}

/**
 * Epoch e of a run on images: the shuffled full batches of the images
 * (trainBatches, keyed by seed and epoch) and, per step, the batch's augmented
 * views (keyed by seed, epoch and image) with its labels and weights. With
 * an AugmentPool, asking for step s's feeds also starts step s + 1's views.
 */
export function imageEpochs(o: ImageEpochs): (epoch: number) => FitEpoch {
  const shape = [o.batch, o.set.channels, o.height, o.width];
  return (epoch) => {
    const batches = trainBatches(o.indices, o.batch, { seed: o.seed, epoch });
    const key = { seed: o.seed, epoch };
    const pool = 'start' in o.augmenter ? o.augmenter : undefined;
    const ahead = new Map<number, PendingBatch>();
    const views = (step: number): Float32Array[] => {
      if (!pool) return o.augmenter.augment(batches[step]!.indices, key, o.views);
      const pending = ahead.get(step) ?? pool.start(batches[step]!.indices, key, o.views);
      ahead.delete(step);
      if (step + 1 < batches.length) ahead.set(step + 1, pool.start(batches[step + 1]!.indices, key, o.views));
      return pending.wait();
    };
    return {
      steps: batches.length,
      feeds: (step) => {
        const { indices } = batches[step]!;
        const feeds: Record<string, HostTensor> = {};
        timed(o.timing, 'augmentation', () => views(step)).forEach((v, i) => (feeds[o.views === 1 ? 'x' : `x${i + 1}`] = hostTensor('float32', shape, v)));
        if (o.labels) feeds['labels'] = hostTensor('int32', [o.batch], Array.from(indices, (i) => o.set.labels[i]!));
        if (o.weightOf) feeds['weights'] = hostTensor('float32', [o.batch], Array.from(indices, o.weightOf));
        return feeds;
      },
    };
  };
}
