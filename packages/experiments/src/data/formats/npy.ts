import { dataError } from './data-error.js';
import { checkArrayBytes, parseDescr, type NdArray } from './nd-array.js';

/**
 * NumPy's .npy format (numpy.save): the magic \x93NUMPY, a version, a
 * header length, a header that is a Python dict literal ({'descr': '|u1',
 * 'fortran_order': False, 'shape': (N, 32, 32, 3), }), then the raw array.
 * The header is parsed as text (never evaluated), and the data must be
 * exactly as long as the shape and type say. Object arrays (a pickle
 * inside, numpy's allow_pickle) are refused.
 */

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59];
/** NumPy itself refuses headers past 10000 bytes by default. */
const MAX_HEADER = 65536;

/** Whether the bytes start with the .npy magic. */
export function isNpy(bytes: Uint8Array): boolean {
  return MAGIC.every((b, i) => bytes[i] === b);
}

/** The array a .npy file holds; `file` names it in errors. */
export function readNpy(bytes: Uint8Array, file: string): NdArray {
  if (!isNpy(bytes)) throw dataError(file, 0, 'not a .npy file (no \\x93NUMPY magic); save the array with numpy.save');
  if (bytes.length < 10) throw dataError(file, bytes.length, 'the file ends inside the .npy preamble; it is truncated');
  const major = bytes[6]!;
  if (major < 1 || major > 3) throw dataError(file, 6, `.npy format version ${major}.${bytes[7]}; ltssl reads versions 1 to 3 (numpy.save writes them)`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const lengthBytes = major === 1 ? 2 : 4;
  if (bytes.length < 8 + lengthBytes) throw dataError(file, bytes.length, 'the file ends inside the .npy preamble; it is truncated');
  const headerLength = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  const start = 8 + lengthBytes;
  if (headerLength > MAX_HEADER) throw dataError(file, 8, `the .npy header claims ${headerLength} bytes, more than any array header needs; the file is damaged`);
  if (start + headerLength > bytes.length) throw dataError(file, bytes.length, `the file ends inside its ${headerLength}-byte .npy header; it is truncated`);
  const header = new TextDecoder(major === 3 ? 'utf-8' : 'latin1').decode(bytes.subarray(start, start + headerLength));
  const descr = /['"]descr['"]\s*:\s*['"]([^'"]*)['"]/.exec(header)?.[1];
  const fortran = /['"]fortran_order['"]\s*:\s*(True|False)/.exec(header)?.[1];
  const shapeText = /['"]shape['"]\s*:\s*\(([^)]*)\)/.exec(header)?.[1];
  if (descr === undefined || fortran === undefined || shapeText === undefined) {
    throw dataError(file, start, `the .npy header is not a plain array's (descr, fortran_order and shape; a structured dtype is not accepted): ${header.trim()}`);
  }
  const type = parseDescr(descr);
  if (typeof type === 'string') throw dataError(file, start, type);
  if (fortran === 'True') throw dataError(file, start, 'the array is stored in Fortran order; save it in C order: numpy.save(f, numpy.ascontiguousarray(a))');
  const dims = shapeText
    .split(',')
    .map((d) => d.trim().replace(/L$/, ''))
    .filter((d) => d.length > 0);
  const shape = dims.map(Number);
  if (!shape.every((d) => Number.isSafeInteger(d) && d >= 0)) throw dataError(file, start, `the .npy shape (${shapeText}) is not a tuple of sizes`);
  const dataStart = start + headerLength;
  checkArrayBytes(file, dataStart, type.kind, shape, bytes.length - dataStart);
  return { kind: type.kind, littleEndian: type.littleEndian, shape, data: bytes.subarray(dataStart) };
}
