import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { rejection } from '@ltssl/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { readCifar } from './cifar.js';
import { encodeCifar } from './encode.js';

const dir = mkdtempSync(join(tmpdir(), 'ltssl-cifar-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function write(name: string, bytes: Uint8Array): string {
  const file = join(dir, name);
  writeFileSync(file, bytes);
  return file;
}

/** `count` 3x32x32 images: pixel (c, y, x) of image i is (7 i + 3 c + y + 2 x) mod 256. */
function images(count: number, labels: number[], first = 0) {
  const pixels = new Uint8Array(count * 3072);
  for (let i = 0; i < count; i++) {
    for (let c = 0; c < 3; c++) for (let y = 0; y < 32; y++) for (let x = 0; x < 32; x++) pixels[i * 3072 + c * 1024 + y * 32 + x] = (7 * (first + i) + 3 * c + y + 2 * x) % 256;
  }
  return { count, channels: 3, height: 32, width: 32, pixels, labels: Int32Array.from(labels) };
}

describe('CIFAR reader', () => {
  it('lays a CIFAR-10 record out as label byte, then the R, G and B planes', () => {
    const record = encodeCifar(images(1, [7]), 'cifar-10');
    expect(record.length).toBe(3073);
    expect(record[0]).toBe(7);
    // Green plane, row 1, column 2: 3 * 1 + 1 + 4 = 8, at 1 + 1024 + 32 + 2.
    expect(record[1 + 1024 + 32 + 2]).toBe(8);
  });

  it('reads several CIFAR-10 batches into one set, in file order', async () => {
    const a = write('data_batch_1.bin', encodeCifar(images(2, [3, 9]), 'cifar-10'));
    const b = write('data_batch_2.bin', encodeCifar(images(3, [0, 1, 2], 2), 'cifar-10'));
    const set = await readCifar([a, b], { name: 'c10/train', variant: 'cifar-10' });
    expect(set).toMatchObject({ name: 'c10/train', count: 5, channels: 3, height: 32, width: 32, classes: 10 });
    expect([...set.labels]).toEqual([3, 9, 0, 1, 2]);
    expect([...set.pixels]).toEqual([...images(5, [3, 9, 0, 1, 2]).pixels]);
  });

  it('chooses fine or coarse CIFAR-100 labels', async () => {
    const file = write('train.bin', encodeCifar(images(3, [99, 0, 42]), 'cifar-100', [19, 4, 0]));
    const fine = await readCifar([file], { name: 'f', variant: 'cifar-100' });
    expect(fine.classes).toBe(100);
    expect([...fine.labels]).toEqual([99, 0, 42]);
    const coarse = await readCifar([file], { name: 'c', variant: 'cifar-100', labels: 'coarse' });
    expect(coarse.classes).toBe(20);
    expect([...coarse.labels]).toEqual([19, 4, 0]);
    expect([...coarse.pixels]).toEqual([...fine.pixels]);
  });

  it('checks every file size against the record size, with a hint for the other variant', async () => {
    const c100 = write('c100.bin', encodeCifar(images(2, [1, 2]), 'cifar-100'));
    expect((await rejection(readCifar([c100], { name: 'x', variant: 'cifar-10' }))).message).toBe(
      `${c100}: byte 6146: file is 6148 bytes, not a whole number of 3073-byte records (CIFAR-10: 1 label byte + 3072 pixels); its size fits 3074-byte records: is it CIFAR-100?`,
    );
    const good = write('good.bin', encodeCifar(images(1, [1]), 'cifar-10'));
    const cut = write('cut.bin', encodeCifar(images(2, [1, 2]), 'cifar-10').subarray(0, 5000));
    const error = await rejection(readCifar([good, cut], { name: 'x', variant: 'cifar-10' }));
    expect(error.code).toBe('LTSSL_DATA_INVALID');
    expect(error.message).toBe(`${cut}: byte 3073: file is 5000 bytes, not a whole number of 3073-byte records (CIFAR-10: 1 label byte + 3072 pixels)`);
    const empty = write('empty.bin', new Uint8Array(0));
    expect((await rejection(readCifar([empty], { name: 'x', variant: 'cifar-10' }))).message).toMatch(/empty\.bin: byte 0: file is 0 bytes/);
  });

  it('names the byte of a label out of range', async () => {
    const file = write('bad-label.bin', encodeCifar(images(3, [1, 2, 10]), 'cifar-10'));
    expect((await rejection(readCifar([file], { name: 'x', variant: 'cifar-10' }))).message).toBe(`${file}: byte 6146: label 10, expected 0..9 (cifar-10 labels)`);
    const coarse = write('bad-coarse.bin', encodeCifar(images(2, [5, 6]), 'cifar-100', [3, 20]));
    expect((await rejection(readCifar([coarse], { name: 'x', variant: 'cifar-100', labels: 'coarse' }))).message).toBe(
      `${coarse}: byte 3074: label 20, expected 0..19 (cifar-100 coarse labels)`,
    );
  });

  it('refuses gzip and sets past the size limit before allocating', async () => {
    const gz = write('batch.bin.gz', gzipSync(encodeCifar(images(1, [1]), 'cifar-10')));
    expect((await rejection(readCifar([gz], { name: 'x', variant: 'cifar-10' }))).message).toMatch(/batch\.bin\.gz: byte 0: gzip-compressed; CIFAR batches are read uncompressed/);
    const file = write('limit.bin', encodeCifar(images(2, [1, 2]), 'cifar-10'));
    expect((await rejection(readCifar([file], { name: 'x', variant: 'cifar-10', maxBytes: 4000 }))).message).toBe(
      `${file}: the batches hold 2 images so far, 6.0 KiB, more than the 3.9 KiB one set may hold`,
    );
  });
});
