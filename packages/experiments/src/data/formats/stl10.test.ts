import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { rejection } from '@ltssl/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { encodeStl10 } from './encode.js';
import { readStl10 } from './stl10.js';

const dir = mkdtempSync(join(tmpdir(), 'ltssl-stl10-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function write(name: string, bytes: Uint8Array): string {
  const file = join(dir, name);
  writeFileSync(file, bytes);
  return file;
}

const PLANE = 96 * 96;
/** Image i, channel c, row y, column x holds (i + 5 c + y) mod 256 when x < 48, else 200: rows and columns differ. */
function images(labels: number[]) {
  const count = labels.length;
  const pixels = new Uint8Array(count * 3 * PLANE);
  for (let i = 0; i < count; i++) {
    for (let c = 0; c < 3; c++) for (let y = 0; y < 96; y++) for (let x = 0; x < 96; x++) pixels[(i * 3 + c) * PLANE + y * 96 + x] = x < 48 ? (i + 5 * c + y) % 256 : 200;
  }
  return { count, channels: 3, height: 96, width: 96, pixels, labels: Int32Array.from(labels) };
}

describe('STL-10 reader', () => {
  const set = images([0, 9, 4]);
  const encoded = encodeStl10(set);
  const x = write('train_X.bin', encoded.images);
  const y = write('train_y.bin', encoded.labels);

  it('stores each plane column-major and labels 1-based, as STL-10 does', () => {
    // Stored entry x * 96 + y of image 0, channel 0 is pixel (row y, column x): row 5, column 0 holds 5.
    expect(encoded.images[0 * 96 + 5]).toBe(5);
    expect(encoded.images[60 * 96 + 5]).toBe(200);
    expect([...encoded.labels]).toEqual([1, 10, 5]);
  });

  it('transposes every plane back and maps labels to 0..9', async () => {
    const read = await readStl10(x, y, { name: 'stl/train' });
    expect(read).toMatchObject({ name: 'stl/train', count: 3, channels: 3, height: 96, width: 96, classes: 10 });
    expect([...read.labels]).toEqual([0, 9, 4]);
    expect(read.pixels).toEqual(set.pixels);
  });

  it('resizes 96x96 to 32x32 on load by 3x3 area means', async () => {
    const read = await readStl10(x, y, { name: 'stl/train', resize: { height: 32, width: 32 } });
    expect(read).toMatchObject({ count: 3, height: 32, width: 32 });
    expect(read.pixels.length).toBe(3 * 3 * 32 * 32);
    // Image 2, channel 1, output (row 4, column 3) averages rows 12..14 of (2 + 5 + y): (19 + 20 + 21) / 3 = 20.
    expect(read.pixels[(2 * 3 + 1) * 1024 + 4 * 32 + 3]).toBe(20);
    // Columns 48.. are all 200; output column 16 covers source columns 48..50.
    expect(read.pixels[(2 * 3 + 1) * 1024 + 4 * 32 + 16]).toBe(200);
  });

  it('checks sizes, counts and labels, naming the file and byte', async () => {
    const cut = write('cut_X.bin', encoded.images.subarray(0, 3 * PLANE * 2 + 100));
    expect((await rejection(readStl10(cut, y, { name: 'x' }))).message).toBe(`${cut}: byte 55296: file is 55396 bytes, not a whole number of 27648-byte images (STL-10: 3x96x96 uint8)`);
    const two = write('two_y.bin', encoded.labels.subarray(0, 2));
    expect((await rejection(readStl10(x, two, { name: 'x' }))).message).toBe(`${two}: byte 2: file holds 2 labels, but ${x} holds 3 images; the two files must be the same split`);
    const zero = write('zero_y.bin', Uint8Array.from([1, 0, 3]));
    const error = await rejection(readStl10(x, zero, { name: 'x' }));
    expect(error.code).toBe('LTSSL_DATA_INVALID');
    expect(error.message).toBe(`${zero}: byte 1: label 0, expected 1..10 (STL-10 labels are 1-based)`);
  });
});
