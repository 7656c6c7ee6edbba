import { CounterRng, RNG_STREAMS } from '@ltssl/core';
import type { ImageSet } from './image-set.js';
import { computeNormalization } from './normalization.js';
import type { LoadedDataset } from './datasets.js';

/** Shape of the generated sanity-check dataset: small grayscale images, a few classes. */
export const SEPARABLE = { classes: 4, side: 8, trainPerClass: 128, testPerClass: 64, noise: 40, seed: 0 } as const;

function generate(name: string, perClass: number, templates: Float64Array, rng: CounterRng, offset: number): ImageSet {
  const { classes, side, noise } = SEPARABLE;
  const pixels = side * side;
  const count = perClass * classes;
  const images = new Uint8Array(count * pixels);
  const labels = new Int32Array(count);
  for (let i = 0; i < count; i++) {
    const y = i % classes;
    labels[i] = y;
    for (let p = 0; p < pixels; p++) images[i * pixels + p] = Math.max(0, Math.min(255, Math.round(templates[y * pixels + p]! + noise * rng.normal(offset + i * pixels + p))));
  }
  return { name, count, channels: 1, height: side, width: side, pixels: images, labels, classes };
}

/**
 * 'separable': a generated dataset for checking that training works on any
 * driver in seconds (the reference interpreter included): each class is a
 * fixed random 8 x 8 template plus Gaussian noise, so a small CNN separates
 * the classes. Seeded: the same images on every machine. Not a benchmark.
 */
export function separableDataset(): LoadedDataset {
  const { classes, side, trainPerClass, testPerClass, seed } = SEPARABLE;
  const templates = new Float64Array(classes * side * side);
  new CounterRng(seed, RNG_STREAMS.data, 0).fillUniform(templates, 30, 225);
  const rng = new CounterRng(seed, RNG_STREAMS.data, 1);
  const train = generate('separable/train', trainPerClass, templates, rng, 0);
  const test = generate('separable/test', testPerClass, templates, rng, train.count * side * side);
  return {
    name: 'separable',
    source: '(generated)',
    format: 'generated',
    train,
    test,
    normalization: computeNormalization(train),
    provenance: {
      origin: `generated: ${classes} classes, one random ${side}x${side} template each plus Gaussian noise (std ${SEPARABLE.noise} grey levels), seed ${seed}`,
      normalization: 'computed from the generated train split',
      files: [],
    },
  };
}
