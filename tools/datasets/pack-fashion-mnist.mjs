#!/usr/bin/env node
// Packs the embedded default dataset, packages/experiments/datasets/fashion-mnist/:
// a balanced subset of Fashion-MNIST's train split (the first PER_CLASS images of
// each class, in file order) and its full 10k test split, as gzipped IDX files,
// with a NOTICE (the MIT licence) and ltssl-dataset.json (class names, counts,
// normalisation constants of the FULL 60k train split, provenance, sha256s).
//
//   apt-get install dataset-fashion-mnist
//   node tools/datasets/pack-fashion-mnist.mjs [--source DIR] [--out DIR]
//
// Deterministic: the subset rule has no randomness, the test files are copied
// byte for byte, and the train files are gzipped by node:zlib at level 9 with
// no name and mtime 0; the same Node (zlib) version gives the same bytes, and
// any version the same inflated bytes (their sha256 is stored too).
// Fashion-MNIST's train order is already shuffled, so the first images of each
// class are as good a sample as a seeded one, and anyone can redo the rule.
import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { gunzipSync, gzipSync } from 'node:zlib';

const ROOT = new URL('../..', import.meta.url).pathname;
const DEBIAN_PACKAGE = 'dataset-fashion-mnist';
/**
 * Train images kept per class. 1000 x 10 = 10k images: the size of the quick
 * CPU study's pre-training set at r = 1, and a balanced probe set of the same
 * size; its gzipped images file is about 4.4 MB (under 5 MB), like the test
 * file. 2000 a class would double the file past 5 MB for data a 15-minute
 * 2-core study cannot use (fashion-mnist-full has all 60k).
 */
const PER_CLASS = 1000;
const CLASS_NAMES = ['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot'];
const SIDE = 28;
const IMAGE = SIDE * SIDE;

const { values } = parseArgs({
  options: {
    source: { type: 'string', default: '/usr/share/datasets/fashion-mnist' },
    out: { type: 'string', default: join(ROOT, 'packages/experiments/datasets/fashion-mnist') },
  },
});
const source = values.source;
const out = values.out;

const sha256 = (bytes) => createHash('sha256').update(bytes).digest('hex');

function readSource(name) {
  const file = join(source, name);
  try {
    return readFileSync(file);
  } catch (error) {
    throw new Error(`${file}: ${error.code === 'ENOENT' ? `missing; install Debian's Fashion-MNIST: apt-get install ${DEBIAN_PACKAGE}` : error.message}`);
  }
}

/** Inflates an IDX file and checks its magic and count; returns the values after the header. */
function readIdx(name, magic, headerBytes, count) {
  const data = gunzipSync(readSource(name));
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  if (view.getUint32(0) !== magic) throw new Error(`${name}: byte 0: magic 0x${view.getUint32(0).toString(16)}, expected 0x${magic.toString(16)}`);
  if (view.getUint32(4) !== count) throw new Error(`${name}: byte 4: count ${view.getUint32(4)}, expected ${count}`);
  if (headerBytes === 16 && (view.getUint32(8) !== SIDE || view.getUint32(12) !== SIDE)) throw new Error(`${name}: byte 8: images are not ${SIDE}x${SIDE}`);
  const body = data.subarray(headerBytes);
  if (body.length !== count * (headerBytes === 16 ? IMAGE : 1)) throw new Error(`${name}: ${body.length} bytes after the header, expected ${count * (headerBytes === 16 ? IMAGE : 1)}`);
  return { raw: data, body };
}

function idxHeader(magic, dims) {
  const header = Buffer.alloc(4 + 4 * dims.length);
  header.writeUInt32BE(magic, 0);
  dims.forEach((d, i) => header.writeUInt32BE(d, 4 + 4 * i));
  return header;
}

function histogram(labels) {
  const counts = new Array(CLASS_NAMES.length).fill(0);
  for (const l of labels) counts[l]++;
  return counts;
}

const trainImages = readIdx('train-images-idx3-ubyte.gz', 0x803, 16, 60000).body;
const trainLabels = readIdx('train-labels-idx1-ubyte.gz', 0x801, 8, 60000).body;
const testLabels = readIdx('t10k-labels-idx1-ubyte.gz', 0x801, 8, 10000).body;
readIdx('t10k-images-idx3-ubyte.gz', 0x803, 16, 10000);

// Normalisation constants of the full, balanced train split: exact integer sums, population std.
let sum = 0;
let squares = 0;
for (const v of trainImages) {
  sum += v;
  squares += v * v;
}
const n = trainImages.length;
const mean = sum / n;
const normalization = {
  mean: [mean / 255],
  std: [Math.sqrt(squares / n - mean * mean) / 255],
  computedFrom: `all 60000 images of Fashion-MNIST's train split (balanced, 6000 a class), pixel values on the [0, 1] scale, population standard deviation`,
};

// The subset: the first PER_CLASS images of each class, kept in file order.
const taken = new Array(CLASS_NAMES.length).fill(0);
const keep = [];
for (let i = 0; i < trainLabels.length; i++) {
  const label = trainLabels[i];
  if (taken[label] < PER_CLASS) {
    taken[label]++;
    keep.push(i);
  }
}
if (taken.some((t) => t !== PER_CLASS)) throw new Error(`the train split has fewer than ${PER_CLASS} images of some class: ${taken}`);
const subsetImages = Buffer.alloc(keep.length * IMAGE);
const subsetLabels = Buffer.alloc(keep.length);
keep.forEach((i, k) => {
  trainImages.copy(subsetImages, k * IMAGE, i * IMAGE, (i + 1) * IMAGE);
  subsetLabels[k] = trainLabels[i];
});

mkdirSync(out, { recursive: true });
const files = {};
function writeGzipped(name, inflated) {
  const bytes = gzipSync(inflated, { level: 9 });
  writeFileSync(join(out, name), bytes);
  files[name] = { bytes: bytes.length, sha256: sha256(bytes), inflatedSha256: sha256(inflated) };
}
function copyVerbatim(name) {
  copyFileSync(join(source, name), join(out, name));
  const bytes = readSource(name);
  files[name] = { bytes: bytes.length, sha256: sha256(bytes), inflatedSha256: sha256(gunzipSync(bytes)) };
}
writeGzipped('train-images-idx3-ubyte.gz', Buffer.concat([idxHeader(0x803, [keep.length, SIDE, SIDE]), subsetImages]));
writeGzipped('train-labels-idx1-ubyte.gz', Buffer.concat([idxHeader(0x801, [keep.length]), subsetLabels]));
copyVerbatim('t10k-images-idx3-ubyte.gz');
copyVerbatim('t10k-labels-idx1-ubyte.gz');

const sourceFiles = Object.fromEntries(
  ['train-images-idx3-ubyte.gz', 'train-labels-idx1-ubyte.gz', 't10k-images-idx3-ubyte.gz', 't10k-labels-idx1-ubyte.gz'].map((name) => [name, sha256(readSource(name))]),
);

const MIT = `The MIT License (MIT) Copyright © 2017 Zalando SE, https://tech.zalando.com

Permission is hereby granted, free of charge, to any person obtaining a copy of this software and associated documentation files (the “Software”), to deal in the Software without restriction, including without limitation the rights to use, copy, modify, merge, publish, distribute, sublicense, and/or sell copies of the Software, and to permit persons to whom the Software is furnished to do so, subject to the following conditions:

The above copyright notice and this permission notice shall be included in all copies or substantial portions of the Software.

THE SOFTWARE IS PROVIDED “AS IS”, WITHOUT WARRANTY OF ANY KIND, EXPRESS OR IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY, FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM, OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE SOFTWARE.
`;

writeFileSync(
  join(out, 'NOTICE'),
  `Fashion-MNIST, a balanced subset, as shipped with ltssl

The files in this folder are derived from Fashion-MNIST by Zalando Research
(Han Xiao, Kashif Rasul, Roland Vollgraf, "Fashion-MNIST: a Novel Image Dataset
for Benchmarking Machine Learning Algorithms", arXiv:1708.07747, 2017;
github.com/zalandoresearch/fashion-mnist), taken from Debian's package
${DEBIAN_PACKAGE}, and are distributed under its MIT licence, below.

Changes: train-images-idx3-ubyte.gz and train-labels-idx1-ubyte.gz hold the
first ${PER_CLASS} images of each class of the original train split, in their original
order (${keep.length} images), re-gzipped; t10k-images-idx3-ubyte.gz and
t10k-labels-idx1-ubyte.gz are the original test files, unchanged. The packer is
tools/datasets/pack-fashion-mnist.mjs; ltssl-dataset.json records the sha256
of every file.

${MIT}`,
);

const metadata = {
  name: 'fashion-mnist',
  title: `Fashion-MNIST, balanced subset (${PER_CLASS} train images a class) and the full test split`,
  license: 'MIT, Copyright © 2017 Zalando SE (see NOTICE)',
  classNames: CLASS_NAMES,
  image: { channels: 1, height: SIDE, width: SIDE },
  splits: {
    train: { images: 'train-images-idx3-ubyte.gz', labels: 'train-labels-idx1-ubyte.gz', count: keep.length, classCounts: histogram(subsetLabels) },
    test: { images: 't10k-images-idx3-ubyte.gz', labels: 't10k-labels-idx1-ubyte.gz', count: testLabels.length, classCounts: histogram(testLabels) },
  },
  normalization,
  provenance: {
    upstream: 'Fashion-MNIST, Zalando Research (github.com/zalandoresearch/fashion-mnist)',
    source: `Debian package ${DEBIAN_PACKAGE}, files of /usr/share/datasets/fashion-mnist`,
    sourceSha256: sourceFiles,
    subset: `train: the first ${PER_CLASS} images of each class of the 60000-image train split, in file order; test: all 10000 images, the upstream files copied byte for byte`,
    packer: 'node tools/datasets/pack-fashion-mnist.mjs',
  },
  files,
};
writeFileSync(join(out, 'ltssl-dataset.json'), JSON.stringify(metadata, null, 2) + '\n');

for (const [name, f] of Object.entries(files)) console.log(`${name}  ${f.bytes} bytes  sha256 ${f.sha256}`);
console.log(`normalisation (full train split): mean ${normalization.mean[0]}, std ${normalization.std[0]}`);
console.log(`wrote ${out}`);
