import type { ImageSet } from '../image-set.js';
import { IDX_IMAGES_MAGIC, IDX_LABELS_MAGIC } from './idx.js';
import { STL10_SIDE } from './stl10.js';

/**
 * Writers for the formats the readers take, byte for byte as upstream lays
 * them out: for tests (valid files to corrupt), fixtures, and exporting a
 * subset. Gzip the IDX output with node:zlib when wanted.
 */

function writeUint32(out: Uint8Array, offset: number, value: number): void {
  new DataView(out.buffer, out.byteOffset, out.byteLength).setUint32(offset, value, false);
}

/** IDX images: magic 0x00000803, count, rows, cols, then the pixels (count x rows x cols). */
export function encodeIdxImages(pixels: Uint8Array, count: number, rows: number, cols: number): Uint8Array {
  if (pixels.length !== count * rows * cols) throw new Error(`encodeIdxImages: ${pixels.length} pixels for ${count} images of ${rows}x${cols}`);
  const out = new Uint8Array(16 + pixels.length);
  writeUint32(out, 0, IDX_IMAGES_MAGIC);
  writeUint32(out, 4, count);
  writeUint32(out, 8, rows);
  writeUint32(out, 12, cols);
  out.set(pixels, 16);
  return out;
}

/** IDX labels: magic 0x00000801, count, then one byte per label. */
export function encodeIdxLabels(labels: ArrayLike<number>): Uint8Array {
  const out = new Uint8Array(8 + labels.length);
  writeUint32(out, 0, IDX_LABELS_MAGIC);
  writeUint32(out, 4, labels.length);
  for (let i = 0; i < labels.length; i++) out[8 + i] = labels[i]!;
  return out;
}

/**
 * CIFAR binary records of a 3x32x32 set. For CIFAR-100 `coarse` gives each
 * record's coarse label (the set's labels are written as the fine ones).
 */
export function encodeCifar(set: Pick<ImageSet, 'count' | 'channels' | 'height' | 'width' | 'pixels' | 'labels'>, variant: 'cifar-10' | 'cifar-100', coarse?: ArrayLike<number>): Uint8Array {
  if (set.channels !== 3 || set.height !== 32 || set.width !== 32) throw new Error('encodeCifar: images must be 3x32x32');
  const labelBytes = variant === 'cifar-10' ? 1 : 2;
  const record = labelBytes + 3072;
  const out = new Uint8Array(set.count * record);
  for (let i = 0; i < set.count; i++) {
    if (variant === 'cifar-10') out[i * record] = set.labels[i]!;
    else {
      out[i * record] = coarse?.[i] ?? 0;
      out[i * record + 1] = set.labels[i]!;
    }
    out.set(set.pixels.subarray(i * 3072, (i + 1) * 3072), i * record + labelBytes);
  }
  return out;
}

/** STL-10 binary: each 96x96 channel plane transposed (column-major), labels written 1-based. */
export function encodeStl10(set: Pick<ImageSet, 'count' | 'channels' | 'height' | 'width' | 'pixels' | 'labels'>): { images: Uint8Array; labels: Uint8Array } {
  if (set.channels !== 3 || set.height !== STL10_SIDE || set.width !== STL10_SIDE) throw new Error('encodeStl10: images must be 3x96x96');
  const plane = STL10_SIDE * STL10_SIDE;
  const images = new Uint8Array(set.pixels.length);
  for (let p = 0; p < set.count * 3; p++) {
    for (let y = 0; y < STL10_SIDE; y++) {
      for (let x = 0; x < STL10_SIDE; x++) images[p * plane + x * STL10_SIDE + y] = set.pixels[p * plane + y * STL10_SIDE + x]!;
    }
  }
  return { images, labels: Uint8Array.from(set.labels, (l) => l + 1) };
}
