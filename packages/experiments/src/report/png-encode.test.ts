import { inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { crc32, encodePng } from './png-encode.js';

/** The chunks of a PNG: type, data, and whether the stored CRC matches. */
function chunks(png: Uint8Array): { type: string; data: Uint8Array; crcOk: boolean }[] {
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  const out: { type: string; data: Uint8Array; crcOk: boolean }[] = [];
  for (let at = 8; at < png.length; ) {
    const length = view.getUint32(at);
    const type = new TextDecoder().decode(png.subarray(at + 4, at + 8));
    out.push({ type, data: png.subarray(at + 8, at + 8 + length), crcOk: view.getUint32(at + 8 + length) === crc32(png.subarray(at + 4, at + 8 + length)) });
    at += 12 + length;
  }
  return out;
}

describe('encodePng', () => {
  it('computes the CRC-32 PNG chunks carry', () => {
    expect(crc32(new TextEncoder().encode('IEND'))).toBe(0xae426082);
    expect(crc32(new TextEncoder().encode('123456789'))).toBe(0xcbf43926); // the standard check value
  });

  it('writes the signature, IHDR, IDAT and IEND, and the pixels come back', () => {
    const pixels = Uint8Array.from({ length: 3 * 2 * 3 }, (_, i) => i * 13);
    const png = encodePng(3, 2, pixels);
    expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    const parts = chunks(png);
    expect(parts.map((c) => c.type)).toEqual(['IHDR', 'IDAT', 'IEND']);
    expect(parts.every((c) => c.crcOk)).toBe(true);
    const header = new DataView(parts[0]!.data.buffer, parts[0]!.data.byteOffset, 13);
    expect([header.getUint32(0), header.getUint32(4), ...parts[0]!.data.subarray(8)]).toEqual([3, 2, 8, 2, 0, 0, 0]);
    const raw = new Uint8Array(inflateSync(parts[1]!.data));
    expect([raw[0], raw[10]]).toEqual([0, 0]); // filter byte of each row
    expect([...raw.subarray(1, 10), ...raw.subarray(11)]).toEqual([...pixels]);
  });

  it('takes grayscale and RGBA, and refuses sizes that do not match', () => {
    expect(chunks(encodePng(2, 2, new Uint8Array(4), 1))[0]!.data[9]).toBe(0);
    expect(chunks(encodePng(1, 1, new Uint8Array(4), 4))[0]!.data[9]).toBe(6);
    expect(() => encodePng(2, 2, new Uint8Array(11))).toThrow('PNG of 2 x 2 x 3 needs 12 bytes, got 11');
    expect(() => encodePng(0, 2, new Uint8Array(0))).toThrow(/positive integers/);
  });
});
