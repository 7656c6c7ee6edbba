import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { rejection } from '@ltssl/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { DATASET_NAMES, EMBEDDED_FASHION_MNIST, loadDataset } from './datasets.js';
import { encodeCifar, encodeIdxImages, encodeIdxLabels, encodeStl10 } from './formats/encode.js';

const root = mkdtempSync(join(tmpdir(), 'ltssl-datasets-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

let serial = 0;
function folder(files: Record<string, Uint8Array | string>): string {
  const path = join(root, `d${serial++}`);
  for (const [name, bytes] of Object.entries(files)) {
    mkdirSync(join(path, name, '..'), { recursive: true });
    writeFileSync(join(path, name), bytes);
  }
  mkdirSync(path, { recursive: true });
  return path;
}

/**
 * A 2x2 grayscale IDX dataset. Train: four images, all 51 or all 153, two of
 * each: mean 102 -> 0.4 on the [0, 1] scale; every pixel is 51 from it, so
 * the population std is 51 -> 0.2.
 */
const train = encodeIdxImages(Uint8Array.from([51, 51, 51, 51, 153, 153, 153, 153, 51, 51, 51, 51, 153, 153, 153, 153]), 4, 2, 2);
const trainLabels = encodeIdxLabels([0, 1, 1, 0]);
const test = encodeIdxImages(Uint8Array.from([9, 9, 9, 9]), 1, 2, 2);
const testLabels = encodeIdxLabels([2]);

describe('loadDataset on folders', () => {
  it('reads an MNIST-style IDX folder and computes its constants from the train split', async () => {
    const path = folder({ 'train-images-idx3-ubyte': train, 'train-labels-idx1-ubyte': trainLabels, 't10k-images-idx3-ubyte.gz': gzipSync(test), 't10k-labels-idx1-ubyte': testLabels });
    const data = await loadDataset(path);
    expect(data).toMatchObject({ name: path, source: path, format: 'idx' });
    expect(data.train).toMatchObject({ name: `${path}/train`, count: 4, channels: 1, height: 2, width: 2 });
    // The test split holds class 2, so both splits have 3 classes.
    expect([data.train.classes, data.test.classes]).toEqual([3, 3]);
    expect(data.normalization.mean[0]).toBeCloseTo(0.4, 12);
    expect(data.normalization.std[0]).toBeCloseTo(0.2, 12);
    expect(data.provenance.normalization).toBe('computed when loaded from all 4 train images of this folder ([0, 1] scale, population std); none stored');
    expect(data.provenance.files).toEqual(['train-images-idx3-ubyte', 'train-labels-idx1-ubyte', 't10k-images-idx3-ubyte.gz', 't10k-labels-idx1-ubyte'].map((f) => join(path, f)));
  });

  it('prefers the raw copy of a file present both raw and gzipped', async () => {
    const path = folder({
      'train-images-idx3-ubyte': train,
      'train-images-idx3-ubyte.gz': gzipSync(test),
      'train-labels-idx1-ubyte.gz': gzipSync(trainLabels),
      't10k-images-idx3-ubyte': test,
      't10k-labels-idx1-ubyte': testLabels,
    });
    const data = await loadDataset(path);
    expect(data.train.count).toBe(4);
    expect(data.provenance.files[0]).toBe(join(path, 'train-images-idx3-ubyte'));
  });

  it('transposes EMNIST files, recognised by their prefix', async () => {
    // One 2x3 image stored transposed: stored row x holds column x of the image.
    const stored = encodeIdxImages(Uint8Array.from([1, 2, 3, 4, 5, 6]), 1, 2, 3);
    const path = folder({
      'emnist-digits-train-images-idx3-ubyte.gz': gzipSync(stored),
      'emnist-digits-train-labels-idx1-ubyte.gz': gzipSync(encodeIdxLabels([0])),
      'emnist-digits-test-images-idx3-ubyte.gz': gzipSync(stored),
      'emnist-digits-test-labels-idx1-ubyte.gz': gzipSync(encodeIdxLabels([0])),
    });
    const data = await loadDataset(path);
    expect(data.train).toMatchObject({ height: 3, width: 2 });
    expect([...data.train.pixels]).toEqual([1, 4, 2, 5, 3, 6]);
    expect(data.provenance.origin).toContain('EMNIST layout');
    const asStored = await loadDataset(path, { transposed: false });
    expect([...asStored.train.pixels]).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('names the missing files of an incomplete IDX folder, and refuses two IDX sets in one', async () => {
    const partial = folder({ 'train-images-idx3-ubyte': train, 'train-labels-idx1-ubyte': trainLabels, 't10k-images-idx3-ubyte': test });
    const error = await rejection(loadDataset(partial));
    expect(error.code).toBe('LTSSL_DATA_INVALID');
    expect(error.message).toBe(`${partial}: holds an incomplete IDX dataset: t10k-labels-idx1-ubyte (or .gz) missing`);
    const two: Record<string, Uint8Array> = {};
    for (const prefix of ['emnist-letters-', 'emnist-digits-']) {
      Object.assign(two, {
        [`${prefix}train-images-idx3-ubyte`]: train,
        [`${prefix}train-labels-idx1-ubyte`]: trainLabels,
        [`${prefix}test-images-idx3-ubyte`]: test,
        [`${prefix}test-labels-idx1-ubyte`]: testLabels,
      });
    }
    const both = folder(two);
    expect((await rejection(loadDataset(both))).message).toBe(`${both}: holds several IDX datasets (emnist-digits, emnist-letters); move the one you want into a folder of its own`);
  });

  const rgb = (count: number, labels: number[], side = 32) => ({
    count,
    channels: 3,
    height: side,
    width: side,
    pixels: Uint8Array.from({ length: count * 3 * side * side }, (_, i) => (i % (3 * side * side) < side * side ? 10 : i % (3 * side * side) < 2 * side * side ? 20 : 30) + (Math.floor(i / (3 * side * side)) % 2) * 20),
    labels: Int32Array.from(labels),
  });

  it('reads CIFAR-10 batches from the archive folder inside, with class names and per-channel constants', async () => {
    const names = 'airplane\nautomobile\nbird\ncat\ndeer\ndog\nfrog\nhorse\nship\ntruck\n';
    const files: Record<string, Uint8Array | string> = { 'cifar-10-batches-bin/batches.meta.txt': names, 'cifar-10-batches-bin/test_batch.bin': encodeCifar(rgb(1, [9]), 'cifar-10') };
    for (let b = 1; b <= 5; b++) files[`cifar-10-batches-bin/data_batch_${b}.bin`] = encodeCifar(rgb(2, [b, b + 1]), 'cifar-10');
    const path = folder(files);
    const data = await loadDataset(path);
    expect(data.format).toBe('cifar-10');
    expect(data.source).toBe(join(path, 'cifar-10-batches-bin'));
    expect(data.train).toMatchObject({ count: 10, channels: 3, classes: 10 });
    expect([...data.train.labels]).toEqual([1, 2, 2, 3, 3, 4, 4, 5, 5, 6]);
    expect(data.train.classNames?.[9]).toBe('truck');
    // Each channel is c0 or c0 + 20 in equal numbers: mean c0 + 10, std 10.
    expect(data.normalization.mean.map((m) => m * 255)).toEqual([20, 30, 40].map((v) => expect.closeTo(v, 9)));
    expect(data.normalization.std.map((s) => s * 255)).toEqual([10, 10, 10].map((v) => expect.closeTo(v, 9)));
  });

  it('names the missing CIFAR-10 batch', async () => {
    const files: Record<string, Uint8Array> = { 'test_batch.bin': encodeCifar(rgb(1, [0]), 'cifar-10') };
    for (let b = 1; b <= 4; b++) files[`data_batch_${b}.bin`] = encodeCifar(rgb(1, [0]), 'cifar-10');
    const path = folder(files);
    expect((await rejection(loadDataset(path))).message).toBe(`${path}: holds an incomplete CIFAR-10 dataset: data_batch_5.bin missing`);
  });

  it('reads CIFAR-100 with fine or coarse labels and their names', async () => {
    const fine = Array.from({ length: 100 }, (_, i) => `fine${i}`).join('\n');
    const coarse = Array.from({ length: 20 }, (_, i) => `coarse${i}`).join('\n');
    const path = folder({
      'train.bin': encodeCifar(rgb(2, [99, 7]), 'cifar-100', [19, 1]),
      'test.bin': encodeCifar(rgb(1, [3]), 'cifar-100', [2]),
      'fine_label_names.txt': fine,
      'coarse_label_names.txt': coarse,
    });
    const byFine = await loadDataset(path);
    expect(byFine).toMatchObject({ format: 'cifar-100', train: { classes: 100 } });
    expect(byFine.train.classNames?.[99]).toBe('fine99');
    const byCoarse = await loadDataset(path, { cifar100Labels: 'coarse' });
    expect([...byCoarse.train.labels]).toEqual([19, 1]);
    expect(byCoarse.train.classNames?.[19]).toBe('coarse19');
  });

  it('reads STL-10, resized on load', async () => {
    const encoded = encodeStl10(rgb(2, [0, 9], 96));
    const path = folder({
      'stl10_binary/train_X.bin': encoded.images,
      'stl10_binary/train_y.bin': encoded.labels,
      'stl10_binary/test_X.bin': encoded.images,
      'stl10_binary/test_y.bin': encoded.labels,
      'stl10_binary/class_names.txt': 'airplane\nbird\ncar\ncat\ndeer\ndog\nhorse\nmonkey\nship\ntruck\n',
    });
    const data = await loadDataset(path, { resize: { height: 32, width: 32 } });
    expect(data.format).toBe('stl-10');
    expect(data.test).toMatchObject({ count: 2, channels: 3, height: 32, width: 32, classes: 10 });
    expect([...data.test.labels]).toEqual([0, 9]);
    expect(data.test.classNames?.[7]).toBe('monkey');
    // Planes are constant, so resizing keeps them: image 1, channel 2 is 30 + 20.
    expect(data.test.pixels[(1 * 3 + 2) * 1024 + 500]).toBe(50);
  });

  it('uses stored constants and checks every file of a packed folder', async () => {
    const copy = join(root, 'packed');
    cpSync(EMBEDDED_FASHION_MNIST, copy, { recursive: true });
    const metadata = JSON.parse(readFileSync(join(copy, 'ltssl-dataset.json'), 'utf8')) as { normalization: { mean: number[] } };
    const data = await loadDataset(copy);
    expect(data.normalization.mean).toEqual(metadata.normalization.mean);
    expect(data.provenance.normalization).toMatch(/^stored: all 60000 images of Fashion-MNIST's train split/);
    const labels = join(copy, 'train-labels-idx1-ubyte.gz');
    const bytes = readFileSync(labels);
    bytes[bytes.length - 1]! ^= 1;
    writeFileSync(labels, bytes);
    expect((await rejection(loadDataset(copy))).message).toMatch(new RegExp(`^${labels.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: sha256 [0-9a-f]{64}, expected [0-9a-f]{64} \\(ltssl-dataset\\.json\\); the file was changed or damaged`));
  });

  it('refuses an option the format cannot honour', async () => {
    const path = folder({ 'train-images-idx3-ubyte': train, 'train-labels-idx1-ubyte': trainLabels, 't10k-images-idx3-ubyte': test, 't10k-labels-idx1-ubyte': testLabels });
    expect((await rejection(loadDataset(path, { resize: { height: 32, width: 32 } }))).message).toBe(`${path}: resize on load: only for STL-10 and ImageFolder datasets, and this one is idx (${path})`);
    expect((await rejection(loadDataset(path, { cifar100Labels: 'coarse' }))).message).toBe(`${path}: coarse labels: only for CIFAR-100 datasets, and this one is idx (${path})`);
    expect((await loadDataset(path, { cifar100Labels: 'fine', transposed: false })).train.count).toBe(4);
  });

  it('lists the names and the expected files when nothing is recognisable', async () => {
    const unknown = await rejection(loadDataset('cifar-11'));
    expect(unknown.code).toBe('LTSSL_DATA_INVALID');
    expect(unknown.message).toBe(
      "unknown dataset 'cifar-11': not a name (fashion-mnist, fashion-mnist-full, mnist, separable) and no such file or folder; give a name, a folder (IDX, CIFAR-10/100, STL-10, NumPy arrays, or an ImageFolder of class folders), a CIFAR archive as downloaded (.tar.gz) or an .npz",
    );
    expect(DATASET_NAMES).toEqual(['fashion-mnist', 'fashion-mnist-full', 'mnist', 'separable']);
    const empty = folder({ 'README.txt': 'nothing here' });
    const message = (await rejection(loadDataset(empty))).message;
    expect(message).toMatch(new RegExp(`^${empty}: holds no dataset ltssl can read; expected the files of one of: idx: train-images-idx3-ubyte, `));
    for (const name of ['t10k-labels-idx1-ubyte', 'data_batch_1.bin', 'test_batch.bin', 'train.bin', 'train_X.bin', 'test_y.bin']) expect(message).toContain(name);
  });

  it('says which apt package to install when Debian\'s Fashion-MNIST is absent', async () => {
    const error = await rejection(loadDataset('fashion-mnist-full', { debianDatasets: join(root, 'no-debian') }));
    expect(error.code).toBe('LTSSL_DATA_INVALID');
    expect(error.message).toBe(
      `fashion-mnist-full: Debian's Fashion-MNIST is not installed (no ${join(root, 'no-debian', 'fashion-mnist')}); install it with 'apt-get install dataset-fashion-mnist', or use 'fashion-mnist' (the embedded subset)`,
    );
  });
});
