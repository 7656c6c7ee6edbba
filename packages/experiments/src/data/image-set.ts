/**
 * A labelled set of images in memory: the common form every reader produces
 * and every sampler, augmentation and loader consumes. Pixels stay uint8 until
 * a batch is built (normalisation happens per batch), so a 60k-image set costs
 * 47 MB as Fashion-MNIST and 184 MB as CIFAR-10.
 */
export interface ImageSet {
  /** Where it came from, for results and errors ('fashion-mnist/train', a path). */
  readonly name: string;
  readonly count: number;
  /** Channels (1 grayscale, 3 RGB), height, width of every image. */
  readonly channels: number;
  readonly height: number;
  readonly width: number;
  /** count x channels x height x width uint8 values, NCHW, row-major. */
  readonly pixels: Uint8Array;
  /** count class indices in [0, classes). */
  readonly labels: Int32Array;
  readonly classes: number;
  /** Optional human-readable class names, length `classes`. */
  readonly classNames?: readonly string[];
}

/** Bytes of one image. */
export function imageSize(set: Pick<ImageSet, 'channels' | 'height' | 'width'>): number {
  return set.channels * set.height * set.width;
}
