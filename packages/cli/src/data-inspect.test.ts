import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { encodeCifar, encodeIdxImages, encodeIdxLabels } from '@ltssl/experiments';
import { dataFixture } from '@ltssl/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { cli } from './test-io.js';

const root = mkdtempSync(join(tmpdir(), 'ltssl-inspect-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function folder(name: string, files: Record<string, Uint8Array>): string {
  const path = join(root, name);
  mkdirSync(path, { recursive: true });
  for (const [file, bytes] of Object.entries(files)) writeFileSync(join(path, file), bytes);
  return path;
}

/** 3 train images (labels 0, 2, 2) and 2 test images (1, 1) of 4x5. */
const idx = {
  'train-images-idx3-ubyte.gz': gzipSync(encodeIdxImages(new Uint8Array(60).fill(7), 3, 4, 5)),
  'train-labels-idx1-ubyte.gz': gzipSync(encodeIdxLabels([0, 2, 2])),
  't10k-images-idx3-ubyte.gz': gzipSync(encodeIdxImages(new Uint8Array(40).fill(9), 2, 4, 5)),
  't10k-labels-idx1-ubyte.gz': gzipSync(encodeIdxLabels([1, 1])),
};

describe('ltssl data inspect', () => {
  it('describes the embedded default dataset, with the class histogram of each split', async () => {
    const { code, stdout, stderr } = await cli('data', 'inspect', 'fashion-mnist');
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toMatch(/^dataset +fashion-mnist$/m);
    expect(stdout).toMatch(/^source +\/.*packages\/experiments\/datasets\/fashion-mnist$/m);
    expect(stdout).toMatch(/^format +IDX$/m);
    expect(stdout).toMatch(/^splits +train 10000, test 10000$/m);
    expect(stdout).toMatch(/^image +1 x 28 x 28 \(C x H x W\)$/m);
    expect(stdout).toMatch(/^classes +10$/m);
    expect(stdout).toMatch(/^normalization +mean 0\.2860, std 0\.3530 \(stored: /m);
    expect(stdout).toMatch(/^class +train +test$/m);
    expect(stdout).toMatch(/^0 T-shirt\/top +1000 +1000$/m);
    expect(stdout).toMatch(/^9 Ankle boot +1000 +1000$/m);
    expect(stdout).toMatch(/^total +10000 +10000\n$/m);
  });

  it('describes a folder of IDX files, counting every class of both splits', async () => {
    const path = folder('idx', idx);
    const { code, stdout } = await cli('data', 'inspect', path);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^image +1 x 4 x 5 \(C x H x W\)$/m);
    expect(stdout).toMatch(/^normalization +mean 0\.0275, std 0\.0000 \(computed when loaded from all 3 train images/m);
    expect(stdout.slice(stdout.indexOf('class '))).toBe(['class  train  test', '0          1     0', '1          0     2', '2          2     0', 'total      3     2', ''].join('\n'));
  });

  it('describes CIFAR-100 with coarse labels', async () => {
    const rgb = { count: 2, channels: 3, height: 32, width: 32, pixels: new Uint8Array(2 * 3072).fill(100), labels: Int32Array.from([5, 6]) };
    const path = folder('cifar100', { 'train.bin': encodeCifar(rgb, 'cifar-100', [19, 19]), 'test.bin': encodeCifar(rgb, 'cifar-100', [0, 3]) });
    const { code, stdout } = await cli('data', 'inspect', path, '--labels', 'coarse');
    expect(code).toBe(0);
    expect(stdout).toMatch(/^format +CIFAR-100 binary \(coarse labels\)$/m);
    expect(stdout).toMatch(/^classes +20$/m);
    expect(stdout).toMatch(/^normalization +mean \[0\.3922, 0\.3922, 0\.3922\], std \[0\.0000, 0\.0000, 0\.0000\]/m);
    expect(stdout).toMatch(/^19 +2 +0$/m);
  });

  it('a corrupt file is one line naming it, exit 1', async () => {
    const path = folder('corrupt', { ...idx, 't10k-images-idx3-ubyte.gz': gzipSync(Uint8Array.from([0, 0, 8, 4, 0, 0, 0, 2, 0, 0, 0, 4, 0, 0, 0, 5])) });
    const { code, stdout, stderr } = await cli('data', 'inspect', path);
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toBe(`ltssl: ${join(path, 't10k-images-idx3-ubyte.gz')}: byte 0: magic 0x00000804, expected 0x00000803 (IDX images)\n`);
  });

  it('a truncated gzip file is one line naming it, exit 1', async () => {
    const gz = idx['train-images-idx3-ubyte.gz'];
    const path = folder('truncated', { ...idx, 'train-images-idx3-ubyte.gz': gz.subarray(0, gz.length - 10) });
    const { code, stderr } = await cli('data', 'inspect', path);
    expect(code).toBe(1);
    expect(stderr).toMatch(new RegExp(`^ltssl: ${join(path, 'train-images-idx3-ubyte.gz')}: byte ${gz.length - 10} of the compressed file: the gzip stream ends early, .*\\n$`));
    expect(stderr.split('\n')).toHaveLength(2);
  });

  it('a folder with nothing recognisable is exit 1, listing the expected files', async () => {
    const path = folder('empty', {});
    const { code, stderr } = await cli('data', 'inspect', path);
    expect(code).toBe(1);
    expect(stderr).toMatch(new RegExp(`^ltssl: ${path}: holds no dataset ltssl can read; expected the files of one of: idx: train-images-idx3-ubyte, .*data_batch_1\\.bin.*\\n$`));
  });

  it('reads a single good file: CIFAR archives as downloaded and an .npz', async () => {
    const cases: [string, RegExp, RegExp][] = [
      ['cifar-10-binary.tar.gz', /^format +CIFAR-10 binary$/m, /^splits +train 40, test 20$/m],
      ['cifar-10-python.tar.gz', /^format +CIFAR-10 python \(pickled batches, read without running pickle code\)$/m, /^0 airplane +4 +2$/m],
      ['cifar-100-python.tar.gz', /^format +CIFAR-100 python .*\(fine labels\)$/m, /^classes +100$/m],
      ['cifar-100-binary.tar.gz', /^format +CIFAR-100 binary \(fine labels\)$/m, /^14 fine14 +1 +0$/m],
      ['numpy-keras.npz', /^format +NumPy arrays$/m, /^image +1 x 8 x 8 \(C x H x W\)$/m],
    ];
    for (const [file, format, detail] of cases) {
      const { code, stdout, stderr } = await cli('data', 'inspect', dataFixture(file));
      expect(stderr, file).toBe('');
      expect(code, file).toBe(0);
      expect(stdout).toMatch(new RegExp(`^source +${dataFixture(file).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`, 'm'));
      expect(stdout).toMatch(format);
      expect(stdout).toMatch(detail);
    }
  });

  it('reads folders of .npy arrays and ImageFolders, with --resize and --test-data', async () => {
    const npy = await cli('data', 'inspect', dataFixture('numpy-nhwc'));
    expect(npy.stdout).toMatch(/^image +3 x 8 x 8 \(C x H x W\)$/m);
    const folder = join(root, 'image-folder');
    cpSync(dataFixture('image-folder'), folder, { recursive: true });
    const images = await cli('data', 'inspect', join(folder, 'train'), '--test-data', join(folder, 'test'), '--resize', '4x6');
    expect(images.stderr).toBe('');
    expect(images.stdout).toMatch(/^format +ImageFolder \(class folders of images, decoded with sharp\)$/m);
    expect(images.stdout).toMatch(/^image +3 x 4 x 6 \(C x H x W\) \(resized on load\)$/m);
    expect(images.stdout).toMatch(new RegExp(`^images +train: decoded 12 images with sharp \\(${folder}/train\\.ltssl-cache/image-folder-[0-9a-f]{16}\\.bin\\); test: decoded 6 images with sharp \\(${folder}/test\\.ltssl-cache/`, 'm'));
    expect(images.stdout).toMatch(/^1 dog +4 +2$/m);
    const again = await cli('data', 'inspect', join(folder, 'train'), '--test-data', join(folder, 'test'), '--resize', '4x6');
    expect(again.stdout).toMatch(/^images +train: 12 images read from the cache \(.*\); test: 6 images read from the cache/m);
  });

  it('hostile files are one line naming the file and the fix, exit 1', async () => {
    const evil = await cli('data', 'inspect', dataFixture('hostile', 'cifar-10-python-os-system.tar.gz'));
    expect(evil.code).toBe(1);
    expect(evil.stderr).toMatch(/^ltssl: .*cifar-10-python-os-system\.tar\.gz: cifar-10-batches-py\/data_batch_2: byte 2: the pickle asks for the global 'posix\.system'.*nothing was run\./);
    const lie = await cli('data', 'inspect', dataFixture('hostile', 'cifar-10-binary-size-lie.tar.gz'));
    expect(lie.stderr).toMatch(/: cifar-10-batches-bin\/data_batch_1\.bin: the tar header declares 858 MiB, more than a gzip file of \d+ bytes can hold; the archive is damaged or not what it claims\n$/);
    const npy = await cli('data', 'inspect', dataFixture('numpy-nhwc', 'train_labels.npy'));
    expect(npy.code).toBe(1);
    expect(npy.stderr).toMatch(/train_labels\.npy: a \.npy file holds one array; give the folder that holds the images and labels arrays/);
    const other = await cli('data', 'inspect', dataFixture('image-folder-pil-rgb.json'));
    expect(other.stderr).toMatch(/image-folder-pil-rgb\.json: not a dataset file ltssl reads; give a folder, one of CIFAR's archives as downloaded/);
  });

  it('command-line mistakes are exit 2, naming the choices', async () => {
    const unknown = await cli('data', 'inspect', 'cifar-11');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toBe("ltssl: unknown dataset 'cifar-11': not a name (fashion-mnist, fashion-mnist-full, mnist, separable) and no such file or folder; give a name, a folder (IDX, CIFAR-10/100, STL-10, NumPy arrays, or an ImageFolder of class folders), a CIFAR archive as downloaded (.tar.gz) or an .npz\n");
    const labels = await cli('data', 'inspect', 'fashion-mnist', '--labels', 'medium');
    expect(labels.code).toBe(2);
    expect(labels.stderr).toMatch(/^ltssl: option '--labels <which>' argument 'medium' is invalid\. Allowed choices are fine, coarse\.\n$/);
    const resize = await cli('data', 'inspect', 'fashion-mnist', '--resize', '32');
    expect(resize.code).toBe(2);
    expect(resize.stderr).toBe("ltssl: option '--resize <HxW>' argument '32' is invalid. give the size as HxW, e.g. 32x32 (1 to 4096 each)\n");
    const missing = await cli('data', 'inspect');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toBe("ltssl: missing required argument 'dataset'\n");
  });
});
