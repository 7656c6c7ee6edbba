import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dataFixture, fixturePixel, rejection } from '@ltssl/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { loadDataset } from './datasets.js';

const root = mkdtempSync(join(tmpdir(), 'ltssl-formats-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** Unpacks a fixture archive with the system's tar, as a user would, and returns the folder. */
function unpacked(archive: string): string {
  const into = mkdtempSync(join(root, 'unpacked-'));
  execFileSync('tar', ['-xzf', dataFixture(archive), '-C', into]);
  return into;
}

/** Byte-for-byte equality of two pixel arrays (vitest's deep toEqual is slow on large typed arrays). */
const same = (a: Uint8Array, b: Uint8Array): boolean => Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));

const CIFAR10_NAMES = ['airplane', 'automobile', 'bird', 'cat', 'deer', 'dog', 'frog', 'horse', 'ship', 'truck'];

describe('loadDataset on the files researchers download', () => {
  it('reads cifar-10-binary.tar.gz and cifar-10-python.tar.gz as downloaded, to the same images', async () => {
    const binary = await loadDataset(dataFixture('cifar-10-binary.tar.gz'));
    expect(binary).toMatchObject({ format: 'cifar-10', source: dataFixture('cifar-10-binary.tar.gz') });
    expect(binary.train).toMatchObject({ count: 40, channels: 3, height: 32, width: 32, classes: 10, classNames: CIFAR10_NAMES });
    expect(binary.test.count).toBe(20);
    expect(binary.provenance.files[0]).toBe(`${dataFixture('cifar-10-binary.tar.gz')}: cifar-10-batches-bin/data_batch_1.bin`);
    const python = await loadDataset(dataFixture('cifar-10-python.tar.gz'));
    expect(python.format).toBe('cifar-10-python');
    expect(python.train.classNames).toEqual(CIFAR10_NAMES);
    expect(same(python.train.pixels, binary.train.pixels)).toBe(true);
    expect(python.train.labels).toEqual(binary.train.labels);
    expect(same(python.test.pixels, binary.test.pixels)).toBe(true);
    // Test image 4 of the generator's test batch: index 100 + 4, label (3 + 4) mod 10.
    expect(binary.test.pixels[4 * 3072 + 1024 + 32 * 2 + 9]).toBe(fixturePixel(7, 1, 2, 9, 104));
  });

  it("reads torchvision's extracted cifar-10-batches-py folder, and the folder above it", async () => {
    const into = unpacked('cifar-10-python.tar.gz');
    const fromTar = await loadDataset(dataFixture('cifar-10-python.tar.gz'));
    for (const path of [into, join(into, 'cifar-10-batches-py')]) {
      const folder = await loadDataset(path);
      expect(folder.source).toBe(join(into, 'cifar-10-batches-py'));
      expect(folder.format).toBe('cifar-10-python');
      expect(same(folder.train.pixels, fromTar.train.pixels)).toBe(true);
      expect(folder.train.classNames).toEqual(CIFAR10_NAMES);
    }
  });

  it('reads cifar-100-python.tar.gz with fine or coarse labels, as cifar-100-binary.tar.gz', async () => {
    const fine = await loadDataset(dataFixture('cifar-100-python.tar.gz'));
    expect(fine.format).toBe('cifar-100-python');
    expect(fine.train).toMatchObject({ count: 12, classes: 100 });
    expect([...fine.train.labels.subarray(0, 4)]).toEqual([0, 7, 14, 21]);
    expect(fine.train.classNames?.[14]).toBe('fine14');
    const coarse = await loadDataset(dataFixture('cifar-100-python.tar.gz'), { cifar100Labels: 'coarse' });
    expect(coarse.train.classes).toBe(20);
    expect([...coarse.train.labels.subarray(0, 4)]).toEqual([0, 1, 2, 4]);
    expect(coarse.train.classNames?.[4]).toBe('coarse04');
    const binary = await loadDataset(dataFixture('cifar-100-binary.tar.gz'), { cifar100Labels: 'coarse' });
    expect(binary.format).toBe('cifar-100');
    expect(same(binary.train.pixels, coarse.train.pixels)).toBe(true);
    expect(binary.train.labels).toEqual(coarse.train.labels);
    expect(binary.train.classNames).toEqual(coarse.train.classNames);
  });

  it('refuses a CIFAR archive whose pickle asks for os.system, naming the entry and the global', async () => {
    const file = dataFixture('hostile', 'cifar-10-python-os-system.tar.gz');
    const error = await rejection(loadDataset(file));
    expect(error.code).toBe('LTSSL_DATA_INVALID');
    expect(error.message).toMatch(new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: cifar-10-batches-py/data_batch_2: byte 2: the pickle asks for the global 'posix\\.system'`));
  });

  it('names a truncated CIFAR archive as truncated', async () => {
    expect((await rejection(loadDataset(dataFixture('hostile', 'cifar-10-binary-truncated.tar.gz')))).message).toMatch(/the gzip stream ends early, .*; the file is truncated: download it again$/);
  });
});

describe('loadDataset on NumPy arrays', () => {
  it('reads a folder of train_ and test_ .npy pairs', async () => {
    const data = await loadDataset(dataFixture('numpy-nhwc'));
    expect(data.format).toBe('numpy');
    expect(data.train).toMatchObject({ name: `${dataFixture('numpy-nhwc')}/train`, count: 40, channels: 3, height: 8, width: 8, classes: 10 });
    expect(data.test.count).toBe(20);
    expect(data.normalization.mean).toHaveLength(3);
  });

  it("reads an .npz of Keras's x_train / y_train names, and one of [N, C, H, W] arrays", async () => {
    const keras = await loadDataset(dataFixture('numpy-keras.npz'));
    expect(keras).toMatchObject({ format: 'numpy', source: dataFixture('numpy-keras.npz') });
    expect(keras.train).toMatchObject({ count: 30, channels: 1, classes: 5 });
    expect(keras.test.count).toBe(10);
    expect((await loadDataset(dataFixture('numpy-nchw.npz'))).train).toMatchObject({ count: 12, channels: 3, classes: 4 });
  });

  it('refuses a single .npy, and a labels array one short, with the fix', async () => {
    const single = dataFixture('numpy-nhwc', 'train_images.npy');
    expect((await rejection(loadDataset(single))).message).toBe(
      `${single}: a .npy file holds one array; give the folder that holds the images and labels arrays (train_images.npy, train_labels.npy, test_images.npy, test_labels.npy), or an .npz of them`,
    );
    const short = dataFixture('hostile', 'numpy-short-labels');
    expect((await rejection(loadDataset(short))).message).toBe(`${join(short, 'train_labels.npy')}: 19 labels, but ${join(short, 'train_images.npy')} holds 20 images; the two arrays must be the same split`);
  });
});

describe('loadDataset on an ImageFolder', () => {
  it('reads train/ and test/, with the train classes, and caches the decoded images next to the data', async () => {
    const folder = join(root, 'pets');
    cpSync(dataFixture('image-folder'), folder, { recursive: true });
    const data = await loadDataset(folder);
    expect(data.format).toBe('image-folder');
    expect(data.train).toMatchObject({ count: 12, channels: 3, height: 8, width: 8, classes: 3, classNames: ['cat', 'dog', 'frog'] });
    expect(data.test).toMatchObject({ count: 6, classes: 3 });
    expect(data.trainFiles?.slice(0, 3)).toEqual(['train/cat/00.png', 'train/cat/01.png', 'train/cat/02.jpg']);
    expect(data.provenance.cache).toMatch(/^train: decoded 12 images with sharp \(.*pets\.ltssl-cache\/image-folder-[0-9a-f]{16}\.bin\); test: decoded 6 images/);
    expect(existsSync(`${folder}.ltssl-cache`)).toBe(true);
    const again = await loadDataset(folder, { cacheDir: join(root, 'study', 'data-cache') });
    expect(again.provenance.cache).toMatch(/^train: decoded 12/);
    const third = await loadDataset(folder, { cacheDir: join(root, 'study', 'data-cache') });
    expect(third.provenance.cache).toMatch(/^train: 12 images read from the cache \(.*study\/data-cache\/.*\); test: 6 images read from the cache/);
    expect(same(third.train.pixels, data.train.pixels)).toBe(true);
  });

  it('takes the test split from --test-data for class folders alone, and says how to give one when missing', async () => {
    const train = dataFixture('image-folder', 'train');
    const cacheDir = join(root, 'cache-test-data');
    const missing = await rejection(loadDataset(train, { cacheDir }));
    expect(missing.message).toBe(`${train}: has no test split; add a test/ (or val/) folder of the same class folders beside train/, or give the test split with --test-data (a folder of class folders of the same names)`);
    const data = await loadDataset(train, { cacheDir, testData: dataFixture('image-folder', 'test') });
    expect(data.test).toMatchObject({ name: `${train}/test`, count: 6, classes: 3 });
    expect(data.trainFiles?.[0]).toBe('cat/00.png');
    const both = await rejection(loadDataset(dataFixture('image-folder'), { cacheDir, testData: dataFixture('image-folder', 'test') }));
    expect(both.message).toMatch(/has a test split of its own; drop --test-data/);
  });

  it('refuses --test-data for a format that always has its test split', async () => {
    const error = await rejection(loadDataset(dataFixture('cifar-10-binary.tar.gz'), { testData: dataFixture('numpy-nhwc') }));
    expect(error.message).toMatch(/--test-data: only for ImageFolder and NumPy datasets, and this one is cifar-10/);
  });
});
