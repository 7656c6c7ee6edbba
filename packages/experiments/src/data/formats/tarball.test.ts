import { statSync } from 'node:fs';
import { dataFixture, rejection } from '@ltssl/testing';
import { describe, expect, it } from 'vitest';
import { readTarball } from './tarball.js';

describe('the tarball reader', () => {
  it('lists every file of cifar-10-binary.tar.gz and keeps only those asked for', async () => {
    const file = dataFixture('cifar-10-binary.tar.gz');
    const { files, names } = await readTarball(file, (name) => name.endsWith('.bin'));
    expect(names).toEqual([1, 2, 3, 4, 5].map((i) => `cifar-10-batches-bin/data_batch_${i}.bin`).concat(['cifar-10-batches-bin/test_batch.bin', 'cifar-10-batches-bin/batches.meta.txt', 'cifar-10-batches-bin/readme.html']));
    expect([...files.keys()]).toHaveLength(6);
    expect(files.get('cifar-10-batches-bin/data_batch_1.bin')!.length).toBe(8 * 3073);
  });

  it('names a truncated archive as truncated, from the gzip stream', async () => {
    const file = dataFixture('hostile', 'cifar-10-binary-truncated.tar.gz');
    const error = await rejection(readTarball(file, () => true));
    expect(error.code).toBe('LTSSL_DATA_INVALID');
    expect(error.message).toBe(`${file}: byte ${statSync(file).size} of the compressed file: the gzip stream ends early, after ${error.message.match(/after (\d+) inflated/)![1]} inflated bytes; the file is truncated: download it again`);
  });

  it('stops a gzip bomb as soon as the inflated stream passes the limit', async () => {
    const file = dataFixture('hostile', 'cifar-10-binary-bomb.tar.gz');
    const error = await rejection(readTarball(file, () => true, { maxBytes: 2 ** 20 }));
    expect(error.message).toBe(`${file}: cifar-10-batches-bin/data_batch_1.bin: the tar header declares 4.0 MiB, more than the 1.0 MiB one data file may hold; the archive is damaged or not what it claims`);
    // An entry that is not kept is still counted: the stream itself stops at the limit.
    const skipped = await rejection(readTarball(file, () => false, { maxBytes: 2 ** 21 }));
    expect(skipped.message).toMatch(/^.*cifar-10-binary-bomb\.tar\.gz: cifar-10-batches-bin\/data_batch_1\.bin: the tar header declares 4\.0 MiB, more than the 2\.0 MiB/);
    const stream = await rejection(readTarball(file, (name) => name === 'nothing', { maxBytes: 4 * 2 ** 20 }));
    expect(stream.message).toBe(`${file}: the archive inflates past 4.0 MiB, the most one data file may hold; it is damaged or not a dataset archive (a gzip bomb is stopped here)`);
  });

  it('refuses a tar header that declares more than the file could hold, before allocating it', async () => {
    const file = dataFixture('hostile', 'cifar-10-binary-size-lie.tar.gz');
    const error = await rejection(readTarball(file, () => true));
    expect(error.message).toBe(`${file}: cifar-10-batches-bin/data_batch_1.bin: the tar header declares 858 MiB, more than a gzip file of ${statSync(file).size} bytes can hold; the archive is damaged or not what it claims`);
  });

  it('refuses a file that is not a tar archive', async () => {
    const file = dataFixture('numpy-keras.npz');
    const error = await rejection(readTarball(file, () => true));
    expect(error.message).toMatch(/numpy-keras\.npz: after \(the first entry\): not a valid tar header \(Invalid tar header/);
  });
});
