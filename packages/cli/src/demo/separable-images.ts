import { CounterRng, RNG_STREAMS } from '@ltssl/core';

export interface SeparableImages {
  /** [count, channels, size, size] float32, row-major. */
  readonly images: Float32Array;
  readonly labels: Int32Array;
  readonly shape: readonly [number, number, number];
}

/**
 * A linearly separable image set for the training demo: class k's images are a
 * fixed random template plus Gaussian noise of `noise` standard deviations.
 * Seeded; the same seed gives the same set on every machine.
 */
export function separableImages(options: { count: number; classes: number; channels: number; size: number; noise: number; seed: number }): SeparableImages {
  const { count, classes, channels, size, noise, seed } = options;
  const pixels = channels * size * size;
  const templates = new Float32Array(classes * pixels);
  new CounterRng(seed, RNG_STREAMS.data, 0).fillNormal(templates);
  const images = new Float32Array(count * pixels);
  new CounterRng(seed, RNG_STREAMS.data, 1).fillNormal(images, 0, noise);
  const labels = new Int32Array(count);
  for (let i = 0; i < count; i++) {
    labels[i] = i % classes;
    for (let p = 0; p < pixels; p++) images[i * pixels + p]! += templates[labels[i]! * pixels + p]!;
  }
  return { images, labels, shape: [channels, size, size] };
}
