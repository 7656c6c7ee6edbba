import type { ImageSet } from '../image-set.js';
import { DataFormatError } from './data-error.js';
import { labelsOf, type NdArray } from './nd-array.js';

/**
 * Images and labels from NumPy arrays. Images are uint8 in one of three
 * layouts, told apart by where the channel axis (1 or 3) is:
 * - [N, H, W]: grayscale;
 * - [N, H, W, C] with C of 1 or 3 (the long-tailed CIFAR arrays, PIL's order);
 * - [N, C, H, W] with C of 1 or 3 (PyTorch's order).
 * A 4-D shape whose second and last axes are both 1 or 3 could be either
 * and is refused (no real image is 1 or 3 pixels wide). Labels are a 1-D
 * integer array (or [N, 1]) of class indices.
 */

export const NUMPY_IMAGE_LAYOUTS = '[N, H, W] (grayscale), [N, H, W, C] or [N, C, H, W] with C = 1 or 3, uint8';

const isChannels = (d: number | undefined): boolean => d === 1 || d === 3;

/** NCHW pixels of an images array; `what` names it in errors. */
export function imagesOf(array: NdArray, what: string): Pick<ImageSet, 'count' | 'channels' | 'height' | 'width' | 'pixels'> {
  const shape = array.shape;
  const refuse = (why: string): never => {
    throw new DataFormatError(`${what}: ${why}; ltssl reads images as ${NUMPY_IMAGE_LAYOUTS}`, what);
  };
  if (array.kind !== 'u1') refuse(`the images are ${array.kind}, not uint8: convert them with (a * 255).round().astype(numpy.uint8) if they are floats in [0, 1]`);
  if (shape.length === 3) {
    const [count, height, width] = shape as [number, number, number];
    return { count, channels: 1, height, width, pixels: array.data };
  }
  if (shape.length !== 4) refuse(`the images array is [${shape.join(', ')}]${shape.length === 2 ? ' (flat rows: reshape them to [N, H, W, C])' : ''}`);
  const [count, a, b, c] = shape as [number, number, number, number];
  if (isChannels(c) && isChannels(a)) refuse(`the images array is [${shape.join(', ')}]: both [N, H, W, C] and [N, C, H, W] fit it`);
  if (isChannels(c)) {
    // [N, H, W, C] -> [N, C, H, W]
    const [height, width, channels] = [a, b, c];
    const pixels = new Uint8Array(array.data.length);
    const plane = height * width;
    for (let n = 0; n < count; n++) {
      const base = n * plane * channels;
      for (let p = 0; p < plane; p++) for (let ch = 0; ch < channels; ch++) pixels[base + ch * plane + p] = array.data[base + p * channels + ch]!;
    }
    return { count, channels, height, width, pixels };
  }
  if (isChannels(a)) return { count, channels: a, height: b, width: c, pixels: array.data };
  return refuse(`the images array is [${shape.join(', ')}]: neither its second nor its last axis is 1 or 3 channels${c === 4 || a === 4 ? ' (4 channels: drop the alpha channel)' : ''}`);
}

/** One split from its two arrays: the counts must agree and the labels be class indices. */
export function numpySplit(images: NdArray, labels: NdArray, names: { readonly images: string; readonly labels: string; readonly set: string }): ImageSet {
  const pixels = imagesOf(images, names.images);
  if (!(labels.shape.length === 1 || (labels.shape.length === 2 && labels.shape[1] === 1))) {
    throw new DataFormatError(`${names.labels}: the labels array is [${labels.shape.join(', ')}], expected [N] (or [N, 1]) integers`, names.labels);
  }
  if (labels.shape[0] !== pixels.count) {
    throw new DataFormatError(`${names.labels}: ${labels.shape[0]} labels, but ${names.images} holds ${pixels.count} images; the two arrays must be the same split`, names.labels);
  }
  const values = labelsOf(labels, names.labels);
  let classes = 0;
  for (const v of values) classes = Math.max(classes, v + 1);
  return { name: names.set, ...pixels, labels: values, classes };
}
