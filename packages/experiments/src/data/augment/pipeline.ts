import { imageSize, type ImageSet } from '../image-set.js';
import type { Normalization } from '../normalization.js';
import { BilinearResizer } from './bilinear-resize.js';
import { applyColorJitter, checkColorJitterOptions, drawColorJitter, type ColorJitterOptions } from './color-jitter.js';
import { ViewDraws, type AugmentKey } from './draws.js';
import { drawFlip, flipHorizontal, type HorizontalFlipOptions } from './horizontal-flip.js';
import { checkNormalization, normalizeInto } from './normalize.js';
import { checkCropOptions, randomResizedCropBox, type RandomResizedCropOptions } from './random-resized-crop.js';
import { drawGrayscale, toGrayscale, type RandomGrayscaleOptions } from './random-grayscale.js';

/**
 * A view's transforms, applied in SimSiam's order: random resized crop,
 * horizontal flip, colour jitter (with probability), random grayscale, then
 * normalisation. A transform left out is not applied; without `crop`, the
 * whole image is resized to `size` (the deterministic evaluation transform).
 * Everything after the resize works on float32 in [0, 1], as torchvision's
 * tensor transforms do; its PIL path rounds to uint8 after every step, which
 * differs by at most a grey level per step.
 */
export interface AugmentationConfig {
  /** Output [height, width]; the input's size when absent (CIFAR: [32, 32]). */
  readonly size?: readonly [number, number];
  readonly crop?: RandomResizedCropOptions;
  /** Absent or p = 0 switches flipping off (the semi-synthetic set: a flip would swap its halves). */
  readonly flip?: HorizontalFlipOptions;
  readonly colorJitter?: ColorJitterOptions;
  readonly grayscale?: RandomGrayscaleOptions;
  /** The dataset's per-channel mean and std on the [0, 1] scale. */
  readonly normalization: Normalization;
}

function checkProbability(name: string, p: number): void {
  if (!(p >= 0 && p <= 1)) throw new RangeError(`${name}: p must be a probability in [0, 1], got ${p}`);
}

/**
 * Builds augmented, normalised float32 batches (NCHW) from a uint8 ImageSet.
 * Every view of every sample draws from its own key (see ViewDraws), so a
 * batch's content is a function of (seed, epoch, indices) alone: the same
 * whether it is built whole, in pieces, in another order or by workers.
 * Not safe to share between concurrent callers (it reuses scratch buffers).
 *
 * It runs on the calling thread. Worker threads did not pay on the 2-core
 * development machine (tools/bench/augment.mjs: one thread makes 11k CIFAR-size
 * or 60k Fashion-MNIST-size images/s with two views, 35-200x a training step,
 * and two workers gained nothing at batch 64 while the step needs the cores);
 * `augmentInto` over disjoint ranges is what a pool would call, with identical results.
 */
export class Augmenter {
  readonly channels: number;
  readonly outHeight: number;
  readonly outWidth: number;
  readonly #resizer: BilinearResizer;
  /** One view on the [0, 1] scale before normalisation. */
  readonly #work: Float32Array;

  constructor(
    readonly set: ImageSet,
    readonly config: AugmentationConfig,
  ) {
    this.channels = set.channels;
    [this.outHeight, this.outWidth] = config.size ?? [set.height, set.width];
    if (!(Number.isInteger(this.outHeight) && this.outHeight > 0 && Number.isInteger(this.outWidth) && this.outWidth > 0)) {
      throw new RangeError(`augmentation output size must be two positive integers, got [${config.size?.join(', ')}]`);
    }
    if (set.channels !== 1 && set.channels !== 3) throw new RangeError(`augmentations take 1- or 3-channel images; '${set.name}' has ${set.channels} channels`);
    if (config.crop) checkCropOptions(config.crop);
    if (config.flip) checkProbability('horizontal flip', config.flip.p);
    if (config.colorJitter) checkColorJitterOptions(config.colorJitter);
    if (config.grayscale) checkProbability('random grayscale', config.grayscale.p);
    checkNormalization(config.normalization, set.channels);
    this.#resizer = new BilinearResizer(set.channels, set.height, set.width, this.outHeight, this.outWidth);
    this.#work = new Float32Array(this.imageLength);
  }

  /** Floats of one output image: channels x outHeight x outWidth. */
  get imageLength(): number {
    return this.channels * this.outHeight * this.outWidth;
  }

  /**
   * `views` independently augmented views of the images at `indices` (each an
   * index into the set, which also keys its draws): one Float32Array per view,
   * NCHW [indices.length, channels, outHeight, outWidth], normalised.
   */
  augment(indices: ArrayLike<number>, key: AugmentKey, views = 1): Float32Array[] {
    const out: Float32Array[] = [];
    for (let view = 0; view < views; view++) {
      const batch = new Float32Array(indices.length * this.imageLength);
      this.augmentInto(indices, key, view, batch);
      out.push(batch);
    }
    return out;
  }

  /**
   * Writes view `view` of indices[from ..< to] into `out` as images
   * from .. to - 1 of an NCHW batch (so workers can fill parts of one buffer).
   */
  augmentInto(indices: ArrayLike<number>, key: AugmentKey, view: number, out: Float32Array, from = 0, to = indices.length): void {
    if (out.length < to * this.imageLength) throw new RangeError(`augmentation output holds ${out.length} floats; ${to} images need ${to * this.imageLength}`);
    const draws = new ViewDraws(key);
    for (let k = from; k < to; k++) {
      const sample = indices[k]!;
      if (!Number.isInteger(sample) || sample < 0 || sample >= this.set.count) throw new RangeError(`image index ${sample} (batch position ${k}) is outside '${this.set.name}', which holds ${this.set.count} images`);
      this.#augmentOne(sample, draws.select(sample, view), out, k * this.imageLength);
    }
  }

  #augmentOne(sample: number, draws: ViewDraws, out: Float32Array, outOffset: number): void {
    const { set, config, channels, outHeight, outWidth } = this;
    const work = this.#work;
    const box = config.crop ? randomResizedCropBox(draws, set.height, set.width, config.crop) : { top: 0, left: 0, height: set.height, width: set.width };
    this.#resizer.resize(set.pixels, sample * imageSize(set), box.top, box.left, box.height, box.width, work);
    if (config.flip && drawFlip(draws, config.flip)) flipHorizontal(work, channels, outHeight, outWidth);
    if (config.colorJitter) {
      const jitter = drawColorJitter(draws, config.colorJitter);
      if (jitter) applyColorJitter(work, channels, outHeight, outWidth, jitter);
    }
    if (config.grayscale && drawGrayscale(draws, config.grayscale)) toGrayscale(work, channels, outHeight, outWidth);
    normalizeInto(work, channels, outHeight * outWidth, config.normalization, out, outOffset);
  }
}
