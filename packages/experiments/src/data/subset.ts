import { imageSize, type ImageSet } from './image-set.js';

/**
 * A new ImageSet holding the images at `indices`, in that order (pixels are
 * copied, so the subset owns its memory and the source can be dropped).
 */
export function subsetImages(set: ImageSet, indices: ArrayLike<number>, name = `${set.name}[subset of ${indices.length}]`): ImageSet {
  const size = imageSize(set);
  const pixels = new Uint8Array(indices.length * size);
  const labels = new Int32Array(indices.length);
  for (let k = 0; k < indices.length; k++) {
    const i = indices[k]!;
    if (!Number.isInteger(i) || i < 0 || i >= set.count) throw new RangeError(`subset index ${i} (position ${k}) is outside '${set.name}', which holds ${set.count} images`);
    pixels.set(set.pixels.subarray(i * size, (i + 1) * size), k * size);
    labels[k] = set.labels[i]!;
  }
  return {
    name,
    count: indices.length,
    channels: set.channels,
    height: set.height,
    width: set.width,
    pixels,
    labels,
    classes: set.classes,
    ...(set.classNames === undefined ? {} : { classNames: set.classNames }),
  };
}
