import type { ImageSet } from '../image-set.js';
import type { Cifar100Labels, CifarVariant } from './cifar.js';
import { DataFormatError, formatBytes } from './data-error.js';
import { labelsOf } from './nd-array.js';
import { PickledArray, readPickle, type PickleValue } from './pickle.js';

/**
 * CIFAR-10 and CIFAR-100 "python version" batches (cifar-10-batches-py,
 * cifar-100-python): each a pickled dict with b'data', a [N, 3072] uint8
 * array whose rows are the red, green and blue 32x32 planes (already NCHW),
 * and the labels as a list of ints (b'labels'; CIFAR-100 b'fine_labels'
 * and b'coarse_labels'). Read with `readPickle`, which runs no pickle code.
 */

const PIXELS = 3 * 32 * 32;

/** One batch's bytes and the name its errors give ('cifar-10-batches-py/data_batch_1'). */
export interface NamedBytes {
  readonly name: string;
  readonly bytes: Uint8Array;
}

function dictOf(value: PickleValue, file: string, what: string): Map<string, PickleValue> {
  if (!(value instanceof Map)) throw new DataFormatError(`${file}: the pickle holds no dict; it is not a ${what}`, file);
  return value;
}

function field(dict: Map<string, PickleValue>, key: string, file: string, what: string): PickleValue {
  const value = dict.get(key);
  if (value === undefined) throw new DataFormatError(`${file}: the ${what} has no '${key}' entry (it has ${[...dict.keys()].map((k) => `'${k}'`).join(', ')}); it is not a CIFAR ${what} of this kind`, file);
  return value;
}

/** A list of ints as labels in [0, classes). */
function labelList(value: PickleValue, file: string, key: string, classes: number, count: number): Int32Array {
  const list = value instanceof PickledArray && value.array ? Array.from(labelsOf(value.array, `${file} '${key}'`)) : value;
  if (!Array.isArray(list)) throw new DataFormatError(`${file}: '${key}' is not a list of labels`, file);
  if (list.length !== count) throw new DataFormatError(`${file}: '${key}' holds ${list.length} labels, but 'data' holds ${count} images; the batch is damaged: download it again`, file);
  const labels = new Int32Array(count);
  list.forEach((label, i) => {
    if (typeof label !== 'number' || !Number.isInteger(label) || label < 0 || label >= classes) {
      throw new DataFormatError(`${file}: '${key}'[${i}] is ${String(label)}, expected a class index 0..${classes - 1}`, file);
    }
    labels[i] = label;
  });
  return labels;
}

export interface CifarPythonOptions {
  readonly name: string;
  readonly variant: CifarVariant;
  readonly labels?: Cifar100Labels;
  readonly classNames?: readonly string[];
  /** Largest total pixel bytes accepted. */
  readonly maxBytes: number;
}

/** The batches, in order, as one ImageSet (CIFAR-10: data_batch_1..5; CIFAR-100: train). */
export function readCifarPython(batches: readonly NamedBytes[], options: CifarPythonOptions): ImageSet {
  const classes = options.variant === 'cifar-10' ? 10 : options.labels === 'coarse' ? 20 : 100;
  const key = options.variant === 'cifar-10' ? 'labels' : options.labels === 'coarse' ? 'coarse_labels' : 'fine_labels';
  const parts = batches.map(({ name, bytes }) => {
    const dict = dictOf(readPickle(bytes, name), name, 'batch');
    const data = field(dict, 'data', name, 'batch');
    const array = data instanceof PickledArray ? data.array : undefined;
    if (!array || array.kind !== 'u1' || array.shape.length !== 2 || array.shape[1] !== PIXELS) {
      const got = array ? `a [${array.shape.join(', ')}] array of ${array.kind}` : 'not a NumPy array';
      throw new DataFormatError(`${name}: 'data' is ${got}, expected [N, 3072] uint8 (CIFAR's 32x32 RGB images); is this a CIFAR python batch?`, name);
    }
    const count = array.shape[0]!;
    return { pixels: array.data, labels: labelList(field(dict, key, name, 'batch'), name, key, classes, count), count };
  });
  const count = parts.reduce((a, p) => a + p.count, 0);
  if (count * PIXELS > options.maxBytes) throw new DataFormatError(`${options.name}: the batches hold ${count} images, ${formatBytes(count * PIXELS)}, more than the ${formatBytes(options.maxBytes)} one set may hold`, options.name);
  const pixels = new Uint8Array(count * PIXELS);
  const labels = new Int32Array(count);
  let at = 0;
  for (const part of parts) {
    pixels.set(part.pixels, at * PIXELS);
    labels.set(part.labels, at);
    at += part.count;
  }
  return { name: options.name, count, channels: 3, height: 32, width: 32, pixels, labels, classes, ...(options.classNames ? { classNames: options.classNames } : {}) };
}

/** Class names from batches.meta (b'label_names') or CIFAR-100's meta (b'fine_label_names', b'coarse_label_names'). */
export function readCifarPythonNames(meta: NamedBytes, variant: CifarVariant, labels: Cifar100Labels): string[] {
  const key = variant === 'cifar-10' ? 'label_names' : labels === 'coarse' ? 'coarse_label_names' : 'fine_label_names';
  const classes = variant === 'cifar-10' ? 10 : labels === 'coarse' ? 20 : 100;
  const list = field(dictOf(readPickle(meta.bytes, meta.name), meta.name, 'meta file'), key, meta.name, 'meta file');
  const latin1 = new TextDecoder('latin1');
  const names = Array.isArray(list) ? list.map((n) => (typeof n === 'string' ? n : n instanceof Uint8Array ? latin1.decode(n) : undefined)) : [];
  if (names.length !== classes || names.some((n) => n === undefined)) throw new DataFormatError(`${meta.name}: '${key}' is not a list of ${classes} class names`, meta.name);
  return names as string[];
}
