import { mkdtemp, readFile, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ERROR_CODES, hasErrorCode, hostTensor, type StateDict } from '@ltssl/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeSafetensors, readSafetensors, readSafetensorsHeader } from './read-safetensors.js';
import { encodeSafetensors } from './safetensors-encode.js';
import { MAX_HEADER_BYTES } from './safetensors-header.js';
import { writeSafetensors } from './write-safetensors.js';

/** A safetensors file byte by byte: length, the header text as given (no padding), data. */
function handMade(header: object | string | Uint8Array, data: ArrayLike<number> = []): Uint8Array {
  const json = header instanceof Uint8Array ? header : new TextEncoder().encode(typeof header === 'string' ? header : JSON.stringify(header));
  const out = new Uint8Array(8 + json.length + data.length);
  new DataView(out.buffer).setBigUint64(0, BigInt(json.length), true);
  out.set(json, 8);
  out.set(data, 8 + json.length);
  return out;
}

function bytesOf(values: readonly number[], set: (view: DataView, i: number, v: number) => void, size: number): number[] {
  const view = new DataView(new ArrayBuffer(values.length * size));
  values.forEach((v, i) => set(view, i, v));
  return [...new Uint8Array(view.buffer)];
}
const f32 = (...v: number[]) => bytesOf(v, (d, i, x) => d.setFloat32(4 * i, x, true), 4);
const i64 = (...v: bigint[]) => {
  const view = new DataView(new ArrayBuffer(v.length * 8));
  v.forEach((x, i) => view.setBigInt64(8 * i, x, true));
  return [...new Uint8Array(view.buffer)];
};

async function rejection(promise: Promise<unknown>): Promise<Error> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error, 'expected the read to fail').toBeInstanceOf(Error);
  expect(hasErrorCode(error, ERROR_CODES.checkpointInvalid), String(error)).toBe(true);
  return error as Error;
}

const sample = (): StateDict => ({
  'encoder.conv1.weight': hostTensor('float32', [2, 1, 3, 3], Array.from({ length: 18 }, (_, i) => i / 7 - 1)),
  'encoder.bn1.num_batches_tracked': hostTensor('int32', [], [-5]),
  'probe.scale': hostTensor('float64', [3], [Math.PI, -1e300, 5e-324]),
  'empty': hostTensor('float32', [0, 4]),
  'special': hostTensor('float32', [4], [Infinity, -Infinity, NaN, -0]),
});

describe('safetensors round trip', () => {
  it('gives back every tensor exactly, in order, with its dtype and the metadata', async () => {
    const state = sample();
    const bytes = encodeSafetensors(state, { note: 'hello', 'ünï': 'cödé' });
    const { tensors, metadata } = await decodeSafetensors(bytes);
    expect(Object.keys(tensors)).toEqual(Object.keys(state));
    for (const [name, t] of Object.entries(state)) {
      expect(tensors[name]!.dtype, name).toBe(t.dtype);
      expect(tensors[name]!.shape, name).toEqual(t.shape);
      expect(tensors[name]!.data, name).toEqual(t.data);
    }
    expect(Object.is(tensors['special']!.data[3], -0)).toBe(true);
    expect(metadata).toEqual({ note: 'hello', 'ünï': 'cödé' });
  });

  it('writes the layout of the format: u64 length, JSON padded with spaces to 8 bytes, F32/I32/F64, packed data', () => {
    const bytes = encodeSafetensors(sample());
    const length = Number(new DataView(bytes.buffer).getBigUint64(0, true));
    expect(length % 8).toBe(0);
    const text = new TextDecoder().decode(bytes.subarray(8, 8 + length));
    expect(text).toMatch(/^\{.*\} *$/);
    const header = JSON.parse(text) as Record<string, { dtype: string; data_offsets: number[] }>;
    expect(header['encoder.conv1.weight']).toEqual({ dtype: 'F32', shape: [2, 1, 3, 3], data_offsets: [0, 72] });
    expect(header['encoder.bn1.num_batches_tracked']).toEqual({ dtype: 'I32', shape: [], data_offsets: [72, 76] });
    expect(header['probe.scale']!.dtype).toBe('F64');
    expect(header['__metadata__']).toBeUndefined();
    expect(bytes.length).toBe(8 + length + 72 + 4 + 24 + 0 + 16);
    expect([...bytes.subarray(8 + length + 72, 8 + length + 76)]).toEqual([0xfb, 0xff, 0xff, 0xff]); // -5, little-endian
  });

  it('keeps a tensor named __proto__ as a tensor', async () => {
    const state: StateDict = Object.fromEntries([['__proto__', hostTensor('int32', [1], [7])]]);
    const { tensors } = await decodeSafetensors(encodeSafetensors(state));
    expect(Object.keys(tensors)).toEqual(['__proto__']);
    expect(Object.getPrototypeOf(tensors)).toBe(Object.prototype);
  });

  it('refuses to write what is not a well-formed tensor, naming it', () => {
    expect(() => encodeSafetensors({ a: hostTensor('float32', [2]), b: { dtype: 'float32', shape: [3], data: new Float32Array(2) } })).toThrow(/tensor 'b'.*expected 3 elements, got 2/);
    expect(() => encodeSafetensors({ c: { dtype: 'int8', shape: [1], data: new Int8Array(1) } as never })).toThrow(/tensor 'c'.*dtype "int8"/);
    expect(() => encodeSafetensors({ __metadata__: hostTensor('float32', [1]) })).toThrow(/reserved/);
    expect(() => encodeSafetensors({}, { n: 3 as never })).toThrow(/metadata 'n' must be a string/);
  });
});

describe('reading hand-made safetensors', () => {
  it('reads every dtype it supports into ltssl dtypes', async () => {
    const half = [0x3c00, 0xc000, 0x7c00, 0x0001, 0x7bff]; // 1, -2, inf, 2^-24 (subnormal), 65504
    const data = [
      ...f32(1.5, -2),
      ...bytesOf([0.1], (d, i, x) => d.setFloat64(8 * i, x, true), 8),
      ...bytesOf([-7, 2 ** 31 - 1], (d, i, x) => d.setInt32(4 * i, x, true), 4),
      ...i64(-(2n ** 31n), 2n ** 31n - 1n, 0n),
      ...bytesOf(half, (d, i, x) => d.setUint16(2 * i, x, true), 2),
      ...bytesOf([0x3fc0, 0xc040], (d, i, x) => d.setUint16(2 * i, x, true), 2), // bf16 1.5, -3
    ];
    const bytes = handMade(
      {
        a: { dtype: 'F32', shape: [2], data_offsets: [0, 8] },
        b: { dtype: 'F64', shape: [], data_offsets: [8, 16] },
        c: { dtype: 'I32', shape: [1, 2], data_offsets: [16, 24] },
        d: { dtype: 'I64', shape: [3], data_offsets: [24, 48] },
        e: { dtype: 'F16', shape: [5], data_offsets: [48, 58] },
        f: { dtype: 'BF16', shape: [2], data_offsets: [58, 62] },
      },
      data,
    );
    const { tensors, metadata } = await decodeSafetensors(bytes);
    expect(metadata).toEqual({});
    expect(tensors['a']).toEqual(hostTensor('float32', [2], [1.5, -2]));
    expect(tensors['b']).toEqual(hostTensor('float64', [], [0.1]));
    expect(tensors['c']).toEqual(hostTensor('int32', [1, 2], [-7, 2 ** 31 - 1]));
    expect(tensors['d']).toEqual(hostTensor('int32', [3], [-(2 ** 31), 2 ** 31 - 1, 0]));
    expect(tensors['e']).toEqual(hostTensor('float32', [5], [1, -2, Infinity, 2 ** -24, 65504]));
    expect(tensors['f']).toEqual(hostTensor('float32', [2], [1.5, -3]));
  });

  it('reads I64 only when every value fits int32, else names the tensor and the element', async () => {
    const bytes = handMade({ steps: { dtype: 'I64', shape: [2], data_offsets: [0, 16] } }, i64(1n, 2n ** 31n));
    const error = await rejection(decodeSafetensors(bytes, 'x.safetensors'));
    expect(error.message).toMatch(/^x\.safetensors: tensor 'steps': element 1 is 2147483648, outside int32's range/);
  });

  it('accepts a header padded with spaces, metadata, and tensors listed out of data order', async () => {
    const header = `${JSON.stringify({
      second: { dtype: 'F32', shape: [1], data_offsets: [4, 8] },
      __metadata__: { format: 'pt' },
      first: { dtype: 'F32', shape: [1], data_offsets: [0, 4] },
    })}       `;
    const { tensors, metadata } = await decodeSafetensors(handMade(header, f32(1, 2)));
    expect(Object.keys(tensors)).toEqual(['first', 'second']);
    expect(tensors['second']!.data[0]).toBe(2);
    expect(metadata).toEqual({ format: 'pt' });
  });

  it('reads a file with no tensors, and only the tensors selected', async () => {
    expect(await decodeSafetensors(handMade('{}'))).toEqual({ tensors: {}, metadata: {} });
    const bytes = encodeSafetensors(sample());
    const { tensors } = await decodeSafetensors(bytes, undefined, { select: (n) => n.startsWith('encoder.') });
    expect(Object.keys(tensors)).toEqual(['encoder.conv1.weight', 'encoder.bn1.num_batches_tracked']);
  });

  const ok = { dtype: 'F32', shape: [2], data_offsets: [0, 8] };
  const invalid: [string, Uint8Array, RegExp][] = [
    ['a file shorter than 8 bytes', new Uint8Array([2, 0, 0]), /3 bytes, shorter than the 8-byte header length/],
    ['a header length past the end', handMade('{}').subarray(0, 9), /says 2 bytes of JSON follow, but the file has only 1/],
    ['a header length of 1', handMade('{'), /too short for a JSON object/],
    ['a header that is not an object', handMade('[1, 2]'), /must be a JSON object starting with '\{'/],
    ['a header that is not JSON', handMade('{"a": '), /not valid UTF-8 JSON/],
    ['a header that is not UTF-8', handMade(new Uint8Array([0x7b, 0x22, 0xff, 0x22, 0x3a, 0x31, 0x7d])), /header: not valid UTF-8 JSON/],
    ['an entry that is not an object', handMade({ w: 3 }), /tensor 'w': header: expected an object \{dtype, shape, data_offsets\}, got number 3/],
    ['an unknown dtype', handMade({ w: { ...ok, dtype: 'U8' } }, f32(1, 2)), /tensor 'w': header: dtype "U8" is not one ltssl reads \(F64, F32, F16, BF16, I64, I32\)/],
    ['a negative dimension', handMade({ w: { ...ok, shape: [-2] } }, f32(1, 2)), /tensor 'w': header: shape must be an array of non-negative integers, got \[-2\]/],
    ['a fractional offset', handMade({ w: { ...ok, data_offsets: [0, 7.5] } }, f32(1, 2)), /tensor 'w': header: data_offsets must be \[begin, end\]/],
    ['three offsets', handMade({ w: { ...ok, data_offsets: [0, 4, 8] } }, f32(1, 2)), /data_offsets must be \[begin, end\]/],
    ['offsets that end before they begin', handMade({ w: { ...ok, data_offsets: [8, 0] } }, f32(1, 2)), /tensor 'w': header: data_offsets \[8, 0\] end before they begin/],
    ['offsets out of bounds', handMade({ w: { ...ok, data_offsets: [0, 12] } }, f32(1, 2)), /tensor 'w': header: data_offsets \[0, 12\] end past the data section, which holds 8 bytes/],
    ['a shape that disagrees with the offsets', handMade({ w: { ...ok, shape: [3] } }, f32(1, 2)), /tensor 'w': header: shape \[3\] of F32 needs 12 bytes, but data_offsets \[0, 8\] hold 8/],
    ['a huge shape', handMade({ w: { ...ok, shape: [2 ** 40, 2 ** 40, 2 ** 40] } }, f32(1, 2)), /shape \[1099511627776,1099511627776,1099511627776\] of F32 needs more than 2\^53 bytes/],
    ['a gap before the first tensor', handMade({ w: { dtype: 'F32', shape: [1], data_offsets: [4, 8] } }, f32(1, 2)), /tensor 'w': .*leave bytes 0 to 4 of the data section unused/],
    ['bytes past the last tensor', handMade({ w: { dtype: 'F32', shape: [1], data_offsets: [0, 4] } }, f32(1, 2)), /holds 8 bytes, but its tensors end at byte 4: 4 bytes past the last tensor/],
    ['metadata that is not strings', handMade({ __metadata__: { epoch: 5 } }), /'__metadata__' entry 'epoch' must be a string, got number 5/],
    ['metadata that is not an object', handMade({ __metadata__: 'x' }), /'__metadata__' must be an object of strings/],
  ];
  it.each(invalid)('rejects %s with a coded error naming the file', async (_, bytes, message) => {
    const error = await rejection(decodeSafetensors(bytes, 'bad.safetensors'));
    expect(error.message.startsWith('bad.safetensors: ')).toBe(true);
    expect(error.message).toMatch(message);
  });

  it('rejects overlapping tensors, naming both', async () => {
    const bytes = handMade(
      {
        a: { dtype: 'F32', shape: [2], data_offsets: [0, 8] },
        b: { dtype: 'F32', shape: [2], data_offsets: [4, 12] },
        c: { dtype: 'F32', shape: [1], data_offsets: [8, 12] },
      },
      f32(1, 2, 3),
    );
    const error = await rejection(decodeSafetensors(bytes, 'o.safetensors'));
    expect(error.message).toMatch(/^o\.safetensors: tensor 'b': header: data_offsets \[4, 12\] overlap those of 'a' \[0, 8\]/);
  });

  it('rejects absurd header lengths before reading past the first 8 bytes', async () => {
    for (const length of [2n ** 64n - 1n, 2n ** 53n + 1n, 2n ** 32n, 1000n]) {
      const bytes = handMade('{}');
      new DataView(bytes.buffer).setBigUint64(0, length, true);
      const error = await rejection(decodeSafetensors(bytes, 'h.safetensors'));
      expect(error.message).toMatch(new RegExp(`^h\\.safetensors: byte 0: the header length says ${length} bytes of JSON follow, but the file has only 2 bytes after it`));
    }
  });
});

describe('safetensors files', () => {
  let dir: string;
  beforeAll(async () => void (dir = await mkdtemp(join(tmpdir(), 'ltssl-safetensors-'))));
  afterAll(async () => rm(dir, { recursive: true, force: true }));

  it('writes and reads a file, header alone or whole', async () => {
    const file = join(dir, 'a.safetensors');
    await writeSafetensors(file, sample(), { k: 'v' });
    expect(new Uint8Array(await readFile(file))).toEqual(encodeSafetensors(sample(), { k: 'v' }));
    const header = await readSafetensorsHeader(file);
    expect(header.tensors.map((t) => [t.name, t.dtype])).toEqual(Object.entries(sample()).map(([n, t]) => [n, { float32: 'F32', int32: 'I32', float64: 'F64' }[t.dtype]]));
    expect(header.metadata).toEqual({ k: 'v' });
    expect(header.dataStart % 8).toBe(0);
    expect((await readSafetensors(file)).tensors['probe.scale']!.data).toEqual(new Float64Array([Math.PI, -1e300, 5e-324]));
  });

  it('names a missing file and a folder', async () => {
    expect((await rejection(readSafetensors(join(dir, 'nope.safetensors')))).message).toMatch(/nope\.safetensors: cannot open: no such file/);
    expect((await rejection(readSafetensors(dir))).message).toMatch(/not a regular file|is a folder/);
  });

  it('refuses a header over the 100 MB safetensors allows, without reading it (sparse file)', async () => {
    const file = join(dir, 'big.safetensors');
    const head = new Uint8Array(8);
    new DataView(head.buffer).setBigUint64(0, BigInt(MAX_HEADER_BYTES + 1), true);
    await writeFile(file, head);
    await truncate(file, 8 + MAX_HEADER_BYTES + 1);
    expect((await rejection(readSafetensors(file))).message).toMatch(/header length is 100000001 bytes, more than the 100000000 safetensors allows/);
  });
});
