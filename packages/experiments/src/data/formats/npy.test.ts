import { readFileSync } from 'node:fs';
import { dataFixture, fixturePixel, rejection } from '@ltssl/testing';
import { describe, expect, it } from 'vitest';
import { readNpy } from './npy.js';
import { readNpz } from './npz.js';
import { imagesOf, numpySplit } from './numpy-images.js';

const npy = (...parts: string[]) => readNpy(readFileSync(dataFixture(...parts)), parts.join('/'));

describe('the .npy reader', () => {
  it('reads the header and the data of numpy.save, and transposes [N, H, W, C] images to NCHW', () => {
    const images = npy('numpy-nhwc', 'train_images.npy');
    expect(images).toMatchObject({ kind: 'u1', shape: [40, 8, 8, 3] });
    const labels = npy('numpy-nhwc', 'train_labels.npy');
    expect(labels).toMatchObject({ kind: 'i8', littleEndian: true, shape: [40] });
    const set = numpySplit(images, labels, { images: 'i', labels: 'l', set: 'nhwc/train' });
    expect(set).toMatchObject({ count: 40, channels: 3, height: 8, width: 8, classes: 10 });
    expect([...set.labels.subarray(0, 12)]).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1]);
    for (const [i, c, y, x] of [[0, 0, 0, 0], [13, 2, 7, 1], [39, 1, 3, 6]] as const) {
      expect(set.pixels[i * 192 + c * 64 + y * 8 + x]).toBe(fixturePixel(i % 10, c, y, x, i));
    }
  });

  it('refuses a truncated file, saying how many bytes the shape needs', () => {
    expect(() => npy('hostile', 'truncated.npy')).toThrow(/^hostile\/truncated\.npy: byte 7708: the array \[40, 8, 8, 3\] of u1 needs 7680 bytes of data, but only 7580 are there; the file is truncated$/);
  });

  it('refuses float, object and flat image arrays with the fix', () => {
    expect(() => imagesOf(npy('hostile', 'float-images.npy'), 'float-images.npy')).toThrow(/element type floating point; ltssl reads uint8 images and integer labels/);
    expect(() => npy('hostile', 'object.npy')).toThrow(/^hostile\/object\.npy: byte 10: element type Python objects \(a pickle\); ltssl reads uint8 images and integer labels$/);
    expect(() => imagesOf(npy('hostile', 'flat-images.npy'), 'flat-images.npy')).toThrow(
      'flat-images.npy: the images array is [4, 192] (flat rows: reshape them to [N, H, W, C]); ltssl reads images as [N, H, W] (grayscale), [N, H, W, C] or [N, C, H, W] with C = 1 or 3, uint8',
    );
  });

  it('refuses labels that do not match the images in count', () => {
    const images = npy('hostile', 'numpy-short-labels', 'train_images.npy');
    const labels = npy('hostile', 'numpy-short-labels', 'train_labels.npy');
    expect(() => numpySplit(images, labels, { images: 'train_images.npy', labels: 'train_labels.npy', set: 's' })).toThrow('train_labels.npy: 19 labels, but train_images.npy holds 20 images; the two arrays must be the same split');
  });
});

describe('the .npz reader', () => {
  it("reads savez_compressed's [N, H, W] arrays (Keras's layout) and savez's [N, C, H, W] ones", async () => {
    const keras = await readNpz(dataFixture('numpy-keras.npz'));
    expect([...keras.keys()].sort()).toEqual(['x_test', 'x_train', 'y_test', 'y_train']);
    const gray = imagesOf(keras.get('x_train')!, 'x_train');
    expect(gray).toMatchObject({ count: 30, channels: 1, height: 8, width: 8 });
    expect(gray.pixels[17 * 64 + 5 * 8 + 2]).toBe(fixturePixel(17 % 5, 0, 5, 2, 17));
    const nchw = await readNpz(dataFixture('numpy-nchw.npz'));
    const rgb = imagesOf(nchw.get('test_images')!, 'test_images');
    expect(rgb).toMatchObject({ count: 6, channels: 3, height: 8, width: 8 });
    // Test image j is image 12 + j of the generator, label (12 + j) mod 4.
    expect(rgb.pixels[5 * 192 + 2 * 64 + 1 * 8 + 4]).toBe(fixturePixel(17 % 4, 2, 1, 4, 17));
  });

  it('refuses an entry that declares more than the limit before inflating it', async () => {
    const file = dataFixture('hostile', 'numpy-bomb.npz');
    expect((await rejection(readNpz(file, { maxBytes: 2 ** 20 }))).message).toBe(
      `${file}: train_images.npy: the arrays declare 4.0 MiB so far, more than the 1.0 MiB one data file may hold; the archive is damaged or not what it claims`,
    );
  });

  it('stops an entry that inflates past the size it declares', async () => {
    const file = dataFixture('hostile', 'numpy-size-lie.npz');
    expect((await rejection(readNpz(file))).message).toMatch(new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: train_images\\.npy: cannot inflate the entry: .*(too many bytes|inflates past).*; the \\.npz file is damaged or not a zip`));
  });
});
