import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CounterRng, RNG_STREAMS } from '@ltssl/core';
import { encodeIdxImages, encodeIdxLabels } from '@ltssl/experiments';

/**
 * A small IDX dataset folder for end-to-end tests: 10 classes, each a fixed
 * random 12x12 template plus noise, `perClass` train and `testPerClass` test
 * images a class. Learnable, and small enough that a study cell takes about a
 * second, so the CLI can run whole sweeps in a test.
 */
export function writeSyntheticIdxFolder(dir: string, options: { perClass: number; testPerClass: number; seed: number }): string {
  const side = 12;
  const classes = 10;
  const pixels = side * side;
  const templates = new Float64Array(classes * pixels);
  new CounterRng(options.seed, RNG_STREAMS.data, 0).fillUniform(templates, 0, 255);
  const noise = new CounterRng(options.seed, RNG_STREAMS.data, 1);
  let draw = 0;
  const split = (count: number): { images: Uint8Array; labels: number[] } => {
    const images = new Uint8Array(count * classes * pixels);
    const labels: number[] = [];
    for (let i = 0; i < count * classes; i++) {
      const y = i % classes;
      labels.push(y);
      for (let p = 0; p < pixels; p++) images[i * pixels + p] = Math.max(0, Math.min(255, Math.round(templates[y * pixels + p]! + 60 * noise.normal(draw++))));
    }
    return { images, labels };
  };
  mkdirSync(dir, { recursive: true });
  const train = split(options.perClass);
  const test = split(options.testPerClass);
  writeFileSync(join(dir, 'train-images-idx3-ubyte'), encodeIdxImages(train.images, train.labels.length, side, side));
  writeFileSync(join(dir, 'train-labels-idx1-ubyte'), encodeIdxLabels(train.labels));
  writeFileSync(join(dir, 't10k-images-idx3-ubyte'), encodeIdxImages(test.images, test.labels.length, side, side));
  writeFileSync(join(dir, 't10k-labels-idx1-ubyte'), encodeIdxLabels(test.labels));
  return dir;
}
