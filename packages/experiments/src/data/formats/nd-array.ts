import { dataError, DataFormatError } from './data-error.js';

/**
 * A NumPy array as the .npy and pickle readers hand it over: the raw bytes
 * of a C-order array, its element type and shape. Only the element types a
 * dataset's images and labels come in are accepted (no floats, no objects).
 */
export interface NdArray {
  /** NumPy's type code without byte order: 'u1', 'i8', 'b1'. */
  readonly kind: IntegerKind;
  readonly littleEndian: boolean;
  readonly shape: readonly number[];
  /** product(shape) * itemsize bytes. */
  readonly data: Uint8Array;
}

export const INTEGER_KINDS = ['u1', 'i1', 'u2', 'i2', 'u4', 'i4', 'u8', 'i8', 'b1'] as const;
export type IntegerKind = (typeof INTEGER_KINDS)[number];

/** Bytes per element of a kind. */
export function itemSize(kind: IntegerKind): number {
  return kind === 'b1' ? 1 : Number(kind[1]);
}

/**
 * A NumPy descr ('<i8', '|u1', '>i4', 'u1', 'bool') as kind and byte order,
 * or a message saying why it is not accepted.
 */
export function parseDescr(descr: string): { kind: IntegerKind; littleEndian: boolean } | string {
  const match = /^([<>|=]?)([a-zA-Z?]+)(\d*)$/.exec(descr);
  if (!match) return `element type '${descr}' is not a plain NumPy type`;
  const [, order, letter, digits] = match;
  const code = letter === '?' || letter === 'bool' ? 'b1' : `${letter}${digits}`;
  if (!(INTEGER_KINDS as readonly string[]).includes(code)) {
    const what = letter === 'f' || letter === 'd' || letter === 'e' ? 'floating point' : letter === 'O' || letter === 'o' ? 'Python objects (a pickle)' : `'${descr}'`;
    return `element type ${what}; ltssl reads uint8 images and integer labels`;
  }
  // '=' is the writer's native order; every machine NumPy runs datasets on today is little-endian.
  return { kind: code as IntegerKind, littleEndian: order !== '>' };
}

/** Product of a shape, refusing one past 2^53 (it would not fit any file anyway). */
export function elementCount(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/** Checks that the bytes match the shape and type exactly: the truncation and padding check of every array reader. */
export function checkArrayBytes(file: string, offset: number, kind: IntegerKind, shape: readonly number[], bytes: number): void {
  const expected = elementCount(shape) * itemSize(kind);
  if (bytes < expected) throw dataError(file, offset + bytes, `the array [${shape.join(', ')}] of ${kind} needs ${expected} bytes of data, but only ${bytes} are there; the file is truncated`);
  if (bytes > expected) throw dataError(file, offset + expected, `${bytes - expected} bytes follow the ${expected} bytes of the array [${shape.join(', ')}] of ${kind}; the header and the data disagree: the file is damaged`);
}

/**
 * The values of an integer array as class labels: every value must lie in
 * [0, 2^31). `what` names the array in messages ('train_labels.npy').
 */
export function labelsOf(array: NdArray, what: string): Int32Array {
  const count = elementCount(array.shape);
  const view = new DataView(array.data.buffer, array.data.byteOffset, array.data.byteLength);
  const out = new Int32Array(count);
  const size = itemSize(array.kind);
  for (let i = 0; i < count; i++) {
    const at = i * size;
    let value: number | bigint;
    switch (array.kind) {
      case 'u1':
      case 'b1':
        value = view.getUint8(at);
        break;
      case 'i1':
        value = view.getInt8(at);
        break;
      case 'u2':
        value = view.getUint16(at, array.littleEndian);
        break;
      case 'i2':
        value = view.getInt16(at, array.littleEndian);
        break;
      case 'u4':
        value = view.getUint32(at, array.littleEndian);
        break;
      case 'i4':
        value = view.getInt32(at, array.littleEndian);
        break;
      case 'u8':
        value = view.getBigUint64(at, array.littleEndian);
        break;
      case 'i8':
        value = view.getBigInt64(at, array.littleEndian);
        break;
    }
    if (value < 0 || value >= 2 ** 31) throw new DataFormatError(`${what}: label ${value} at position ${i} is not a class index (0 or more, below 2^31)`, what);
    out[i] = Number(value);
  }
  return out;
}
