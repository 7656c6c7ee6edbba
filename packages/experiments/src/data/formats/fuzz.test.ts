import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { CounterRng, ERROR_CODES, hasErrorCode, RNG_STREAMS } from '@ltssl/core';
import { afterAll, describe, expect, it } from 'vitest';
import type { ImageSet } from '../image-set.js';
import { MAX_DATA_BYTES, readDeclaredFile } from './bounded-read.js';
import { readCifar } from './cifar.js';
import { encodeCifar, encodeIdxImages, encodeIdxLabels, encodeStl10 } from './encode.js';
import { declareIdxImages, declareIdxLabels, IDX_IMAGES_HEADER, IDX_LABELS_HEADER, readIdxSet } from './idx.js';
import { readStl10 } from './stl10.js';

/**
 * Damaged files of every format: truncated at many offsets, bytes flipped at
 * seeded random places, huge declared counts, gzip bombs. Each read must end
 * in a consistent ImageSet or a LTSSL_DATA_INVALID error naming the file:
 * never another error, a hang or a huge allocation.
 */
const dir = mkdtempSync(join(tmpdir(), 'ltssl-fuzz-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let serial = 0;
function write(bytes: Uint8Array, suffix = ''): string {
  const file = join(dir, `f${serial++}${suffix}`);
  writeFileSync(file, bytes);
  return file;
}

const rng = new CounterRng(20220425, RNG_STREAMS.data, 0);
let draw = 0;
const randomInt = (n: number): number => rng.int(draw++, n);

/** Copies `bytes` with 1 to 3 bytes set to random values (at least one changes). */
function flip(bytes: Uint8Array): Uint8Array {
  const out = bytes.slice();
  const flips = 1 + randomInt(3);
  for (let k = 0; k < flips; k++) {
    const at = randomInt(out.length);
    out[at] = (out[at]! + 1 + randomInt(255)) % 256;
  }
  return out;
}

function expectConsistent(set: ImageSet): void {
  expect(set.count).toBeGreaterThan(0);
  expect(set.pixels.length).toBe(set.count * set.channels * set.height * set.width);
  expect(set.labels.length).toBe(set.count);
  for (const label of set.labels) expect(label >= 0 && label < set.classes).toBe(true);
}

const outcomes = { parsed: 0, rejected: 0 };

/** Runs a read; it must give a consistent set or a coded error that names `file`. */
async function parsesOrRejects(read: () => Promise<ImageSet>, file: string): Promise<ImageSet | undefined> {
  let set: ImageSet;
  try {
    set = await read();
  } catch (error) {
    if (!hasErrorCode(error, ERROR_CODES.dataInvalid)) throw new Error(`a read of ${file} threw something else: ${String(error)}`, { cause: error });
    expect((error as Error).message).toContain(file);
    outcomes.rejected++;
    return undefined;
  }
  expectConsistent(set);
  outcomes.parsed++;
  return set;
}

/**
 * Reads with a recording allocator: whatever the header says, the buffer
 * asked for is at most the raw file's size, or what deflate can inflate the
 * gzip file to, and never past the limit.
 */
async function allocationIsBounded(file: string, size: number, gzip: boolean, kind: 'images' | 'labels'): Promise<void> {
  const sizes: number[] = [];
  const allocate = (bytes: number): Uint8Array => {
    sizes.push(bytes);
    return new Uint8Array(bytes);
  };
  const [header, declare] = kind === 'images' ? [IDX_IMAGES_HEADER, declareIdxImages(file)] : [IDX_LABELS_HEADER, declareIdxLabels(file)];
  await readDeclaredFile(file, { ...header, allocate }, declare).catch((error: unknown) => {
    if (!hasErrorCode(error, ERROR_CODES.dataInvalid)) throw error;
  });
  for (const bytes of sizes) {
    expect(bytes).toBeLessThanOrEqual(Math.min(MAX_DATA_BYTES, gzip ? size * 1032 + 1024 : size));
  }
}

// A small valid split: 6 images of 5x4 with varied pixels, labels 0..3.
const COUNT = 6;
const pixels = Uint8Array.from({ length: COUNT * 20 }, (_, i) => (i * 37 + 11) % 256);
const idxImages = encodeIdxImages(pixels, COUNT, 5, 4);
const idxLabels = encodeIdxLabels([0, 3, 1, 2, 3, 0]);
const readPair = (images: string, labels: string) => () => readIdxSet(images, labels, { name: 'fuzz', classes: 4 });

describe('fuzzed IDX files', () => {
  const goodImages = write(idxImages);
  const goodLabels = write(idxLabels);

  it('raw files truncated at every offset', async () => {
    for (let end = 0; end < idxImages.length; end++) {
      const file = write(idxImages.subarray(0, end));
      expect(await parsesOrRejects(readPair(file, goodLabels), file)).toBeUndefined();
      await allocationIsBounded(file, end, false, 'images');
    }
    for (let end = 0; end < idxLabels.length; end++) {
      const file = write(idxLabels.subarray(0, end));
      expect(await parsesOrRejects(readPair(goodImages, file), file)).toBeUndefined();
    }
  });

  it('gzip files truncated at every offset', async () => {
    for (const [bytes, kind] of [[idxImages, 'images'], [idxLabels, 'labels']] as const) {
      const gz = gzipSync(bytes);
      for (let end = 0; end < gz.length; end++) {
        const file = write(gz.subarray(0, end), '.gz');
        const read = kind === 'images' ? readPair(file, goodLabels) : readPair(goodImages, file);
        // A cut inside the trailer may still inflate fully; then the set must be the original.
        const set = await parsesOrRejects(read, file);
        if (set) expect(kind === 'images' ? set.pixels : Uint8Array.from(set.labels)).toEqual(kind === 'images' ? pixels : idxLabels.subarray(8));
        await allocationIsBounded(file, end, true, kind);
      }
    }
  });

  it('raw files with random bytes flipped parse to exactly those bytes, or fail cleanly', async () => {
    for (let trial = 0; trial < 300; trial++) {
      const damaged = flip(idxImages);
      const file = write(damaged);
      const set = await parsesOrRejects(readPair(file, goodLabels), file);
      if (set) expect(set.pixels).toEqual(damaged.subarray(16));
      await allocationIsBounded(file, damaged.length, false, 'images');
      const labels = flip(idxLabels);
      const labelsFile = write(labels);
      const paired = await parsesOrRejects(readPair(goodImages, labelsFile), labelsFile);
      if (paired) expect([...paired.labels]).toEqual([...labels.subarray(8)]);
    }
  });

  it('gzip files with random bytes flipped', async () => {
    const gz = gzipSync(idxImages);
    for (let trial = 0; trial < 300; trial++) {
      const damaged = flip(gz);
      const file = write(damaged, '.gz');
      const set = await parsesOrRejects(readPair(file, goodLabels), file);
      // Flips in the gzip header's name or time fields change nothing; any other change fails the CRC.
      if (set) expect(set.pixels).toEqual(pixels);
      await allocationIsBounded(file, damaged.length, true, 'images');
    }
  });

  it('huge declared counts are refused before anything is allocated', async () => {
    for (const count of [2 ** 31, 2 ** 32 - 1, 2 ** 24, 100_000]) {
      for (const kind of ['images', 'labels'] as const) {
        const bytes = (kind === 'images' ? idxImages : idxLabels).slice();
        new DataView(bytes.buffer).setUint32(4, count);
        for (const [data, gzip] of [[bytes, false], [gzipSync(bytes), true]] as const) {
          const file = write(data, gzip ? '.gz' : '');
          const read = kind === 'images' ? readPair(file, goodLabels) : readPair(goodImages, file);
          await expect(read()).rejects.toMatchObject({ code: 'LTSSL_DATA_INVALID', file });
          const sizes: number[] = [];
          const header = kind === 'images' ? IDX_IMAGES_HEADER : IDX_LABELS_HEADER;
          const declare = kind === 'images' ? declareIdxImages(file) : declareIdxLabels(file);
          await expect(readDeclaredFile(file, { ...header, allocate: (n) => (sizes.push(n), new Uint8Array(n)) }, declare)).rejects.toMatchObject({ offset: gzip ? 4 : expect.any(Number) });
          expect(sizes).toEqual([]);
        }
      }
    }
  });

  it('a gzip bomb stops at the declared size', async () => {
    // Declares 6 images of 5x4 (136 bytes) but inflates to 64 MiB of zeros.
    const bomb = new Uint8Array(64 * 2 ** 20);
    bomb.set(idxImages.subarray(0, 16));
    const file = write(gzipSync(bomb), '.gz');
    // Stopping is shown by what happened, not by a clock: the one allocation is the declared body,
    // and the error is at byte 136, the first byte past the declared size.
    const sizes: number[] = [];
    await expect(readDeclaredFile(file, { ...IDX_IMAGES_HEADER, allocate: (n) => (sizes.push(n), new Uint8Array(n)) }, declareIdxImages(file))).rejects.toThrow(
      `${file}: byte 136: the gzip data inflates past the 136 bytes its header declares (6 images of 5x4); the file is damaged or not what it claims`,
    );
    expect(sizes).toEqual([120]);
    await expect(readPair(file, goodLabels)()).rejects.toMatchObject({ code: 'LTSSL_DATA_INVALID' });
  });

  it('a small gzip file that declares far more than it can inflate to is refused at the header', async () => {
    const lying = idxImages.slice(0, 16);
    new DataView(lying.buffer).setUint32(4, 1_000_000); // 20 MB of pixels in a file of a few dozen bytes
    const file = write(gzipSync(lying), '.gz');
    await expect(readIdxSet(file, goodLabels, { name: 'x' })).rejects.toThrow(/: byte 4: the header declares 1000000 images of 5x4, 20000016 bytes in all, but a \d+-byte gzip file cannot inflate to more than about \d+; the header or the file is damaged$/);
  });

  it('saw both outcomes', () => {
    // Guards the fuzzing itself: flips that keep the header parse, the rest fail.
    expect(outcomes.parsed).toBeGreaterThan(50);
    expect(outcomes.rejected).toBeGreaterThan(500);
  });
});

describe('fuzzed CIFAR and STL-10 files', () => {
  const cifarSet = {
    count: 3,
    channels: 3,
    height: 32,
    width: 32,
    pixels: Uint8Array.from({ length: 3 * 3072 }, (_, i) => (i * 13) % 256),
    labels: Int32Array.from([9, 0, 5]),
  };

  it('CIFAR batches truncated or flipped', async () => {
    for (const variant of ['cifar-10', 'cifar-100'] as const) {
      const bytes = encodeCifar(cifarSet, variant, [1, 2, 3]);
      const record = variant === 'cifar-10' ? 3073 : 3074;
      for (let end = 0; end < bytes.length; end += end < 64 ? 1 : 97) {
        const file = write(bytes.subarray(0, end));
        const set = await parsesOrRejects(() => readCifar([file], { name: 'c', variant }), file);
        if (set) expect(set.count * record).toBe(end);
      }
      for (let trial = 0; trial < 100; trial++) {
        // Flip only among the label bytes and a few pixels, where the damage is visible.
        const damaged = bytes.slice();
        const at = randomInt(3) * record + randomInt(variant === 'cifar-10' ? 1 : 2);
        damaged[at] = randomInt(256);
        const file = write(damaged);
        const set = await parsesOrRejects(() => readCifar([file], { name: 'c', variant, labels: 'coarse' }), file);
        if (set) expect(set.pixels).toEqual(cifarSet.pixels);
      }
    }
  });

  it('STL-10 files truncated or with flipped labels', async () => {
    const stl = encodeStl10({
      count: 2,
      channels: 3,
      height: 96,
      width: 96,
      pixels: Uint8Array.from({ length: 2 * 27648 }, (_, i) => (i * 7) % 256),
      labels: Int32Array.from([3, 8]),
    });
    const labels = write(stl.labels);
    for (let end = 0; end < stl.images.length; end += 1733) {
      const file = write(stl.images.subarray(0, end));
      expect(await parsesOrRejects(() => readStl10(file, labels, { name: 's' }), file)).toBeUndefined();
    }
    const images = write(stl.images);
    for (let trial = 0; trial < 50; trial++) {
      const file = write(flip(stl.labels));
      await parsesOrRejects(() => readStl10(images, file, { name: 's', resize: { height: 32, width: 32 } }), file);
    }
  });
});
