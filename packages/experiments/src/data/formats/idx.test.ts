import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { ERROR_CODES, hasErrorCode } from '@ltssl/core';
import { rejection } from '@ltssl/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { encodeIdxImages, encodeIdxLabels } from './encode.js';
import { readIdxImages, readIdxLabels, readIdxSet } from './idx.js';

const dir = mkdtempSync(join(tmpdir(), 'ltssl-idx-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function write(name: string, bytes: Uint8Array): string {
  const file = join(dir, name);
  writeFileSync(file, bytes);
  return file;
}

/** Three 2x3 images whose pixel value is 100 * image + 10 * row + column. */
const pixels = Uint8Array.from({ length: 18 }, (_, i) => 100 * Math.floor(i / 6) + 10 * Math.floor((i % 6) / 3) + (i % 3));
const images = encodeIdxImages(pixels, 3, 2, 3);
const labels = encodeIdxLabels([2, 0, 1]);

describe('IDX reader', () => {
  it('writes the header big-endian, as MNIST lays it out', () => {
    expect([...images.subarray(0, 16)]).toEqual([0, 0, 8, 3, 0, 0, 0, 3, 0, 0, 0, 2, 0, 0, 0, 3]);
    expect([...labels]).toEqual([0, 0, 8, 1, 0, 0, 0, 3, 2, 0, 1]);
  });

  it('reads raw and gzipped files to the same images', async () => {
    const raw = await readIdxImages(write('raw-images', images));
    const gz = await readIdxImages(write('gz-images.gz', gzipSync(images)));
    for (const read of [raw, gz]) {
      expect(read).toMatchObject({ count: 3, height: 2, width: 3 });
      expect([...read.pixels]).toEqual([...pixels]);
    }
    expect(read12(raw.pixels)).toBe(112); // image 1, row 1, column 2
  });

  it('transposes EMNIST-style images when asked', async () => {
    const read = await readIdxImages(write('t-images', images), { transposed: true });
    // Stored as 2 rows x 3 columns, so each image comes out 3 x 2 with (r, c) = stored (c, r).
    expect(read).toMatchObject({ count: 3, height: 3, width: 2 });
    for (let r = 0; r < 3; r++) for (let c = 0; c < 2; c++) expect(read.pixels[6 + r * 2 + c]).toBe(100 + 10 * c + r);
  });

  it('pairs images and labels into an ImageSet', async () => {
    const set = await readIdxSet(write('s-images.gz', gzipSync(images)), write('s-labels', labels), { name: 'toy/train' });
    expect(set).toMatchObject({ name: 'toy/train', count: 3, channels: 1, height: 2, width: 3, classes: 3 });
    expect([...set.labels]).toEqual([2, 0, 1]);
    expect(set.labels).toBeInstanceOf(Int32Array);
    const named = await readIdxSet(write('n-images', images), write('n-labels', labels), { name: 'n', classNames: ['a', 'b', 'c', 'd'] });
    expect(named.classes).toBe(4);
    expect(named.classNames).toEqual(['a', 'b', 'c', 'd']);
  });

  it('names the file, the byte and what was expected for a wrong magic', async () => {
    const file = write('t10k-images-idx3-ubyte.gz', gzipSync(Uint8Array.from([0, 0, 8, 4, ...images.subarray(4)])));
    const error = await rejection(readIdxImages(file));
    expect(hasErrorCode(error, ERROR_CODES.dataInvalid)).toBe(true);
    expect(error.message).toBe(`${file}: byte 0: magic 0x00000804, expected 0x00000803 (IDX images)`);
    const swapped = await rejection(readIdxImages(write('labels-as-images', labels)));
    expect(swapped.message).toMatch(/byte 0: magic 0x00000801, expected 0x00000803 \(IDX images\); this is an IDX labels file$/);
    const text = await rejection(readIdxLabels(write('text', new TextEncoder().encode('hello, world'))));
    expect(text.message).toMatch(/byte 0: magic 0x68656c6c, expected 0x00000801 \(IDX labels\); not an IDX file$/);
  });

  it('checks the declared count and sides against the file size before reading', async () => {
    const short = write('short', images.subarray(0, 30));
    expect((await rejection(readIdxImages(short))).message).toBe(
      `${short}: byte 30: file ends after 30 bytes, but its header declares 3 images of 2x3, 34 bytes in all; the file is truncated`,
    );
    const long = write('long', Uint8Array.from([...images, 9, 9]));
    expect((await rejection(readIdxImages(long))).message).toBe(
      `${long}: byte 34: 2 bytes follow the 3 images of 2x3 its header declares (34 bytes in all); the count in the header or the file is wrong`,
    );
    const header = write('header-only', images.subarray(0, 10));
    expect((await rejection(readIdxImages(header))).message).toBe(`${header}: byte 10: file ends after 10 bytes, inside the IDX images header (16 bytes)`);
    const zeroRows = images.slice();
    zeroRows[11] = 0;
    expect((await rejection(readIdxImages(write('zero-rows', zeroRows)))).message).toMatch(/: byte 8: rows 0, expected 1\.\.4096$/);
    const noImages = images.slice(0, 16);
    noImages[7] = 0;
    expect((await rejection(readIdxImages(write('no-images', noImages)))).message).toMatch(/: byte 4: image count 0, expected at least 1$/);
  });

  it('refuses a declared size past the limit, raw or gzipped, without reading on', async () => {
    const huge = images.slice(0, 16);
    new DataView(huge.buffer).setUint32(4, 2 ** 31);
    for (const file of [write('huge', huge), write('huge.gz', gzipSync(huge))]) {
      const error = await rejection(readIdxImages(file));
      expect(error.code).toBe('LTSSL_DATA_INVALID');
      expect(error.message).toBe(`${file}: byte 4: the header declares 2147483648 images of 2x3, 12 GiB in all, more than the 1.0 GiB one data file may hold; the header is damaged or the file is not what it claims`);
    }
  });

  it('reports truncated and corrupt gzip streams with the offset in the compressed file', async () => {
    const gz = gzipSync(images);
    const cut = write('cut.gz', gz.subarray(0, gz.length - 12));
    expect((await rejection(readIdxImages(cut))).message).toMatch(
      new RegExp(`^${escape(cut)}: byte ${gz.length - 12} of the compressed file: the gzip stream ends early, after \\d+ inflated bytes; the file is truncated: download it again$`),
    );
    const crc = gz.slice();
    crc[crc.length - 6]! ^= 0xff;
    const crcFile = write('crc.gz', crc);
    expect((await rejection(readIdxImages(crcFile))).message).toBe(
      `${crcFile}: byte ${gz.length - 8} of the compressed file: the gzip trailer does not match the inflated data (zlib: incorrect data check); the file is damaged: download it again`,
    );
    const garbled = gz.slice();
    garbled[10] = 0xff; // the first deflate block header: an invalid block type
    const garbledFile = write('garbled.gz', garbled);
    expect((await rejection(readIdxImages(garbledFile))).message).toMatch(new RegExp(`^${escape(garbledFile)}: byte \\d+ of the compressed file: the gzip data is corrupt \\(zlib: .+\\); the file is damaged: download it again$`));
  });

  it('checks labels against images and against the class count', async () => {
    const imagesFile = write('c-images', images);
    const fewer = write('c-labels', encodeIdxLabels([0, 1]));
    expect((await rejection(readIdxSet(imagesFile, fewer, { name: 'x' }))).message).toBe(
      `${fewer}: byte 4: 2 labels, but ${imagesFile} holds 3 images; the two files must be the same split`,
    );
    const outOfRange = write('r-labels', encodeIdxLabels([0, 1, 10]));
    expect((await rejection(readIdxSet(imagesFile, outOfRange, { name: 'x', classes: 10 }))).message).toBe(`${outOfRange}: byte 10: label 10, expected 0..9 (10 classes)`);
  });

  it('names a missing file', async () => {
    const file = join(dir, 'absent-images');
    const error = await rejection(readIdxImages(file));
    expect(error.code).toBe('LTSSL_DATA_INVALID');
    expect(error.message).toBe(`${file}: cannot open: no such file`);
  });
});

function read12(p: Uint8Array): number {
  return p[6 + 1 * 3 + 2]!;
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
