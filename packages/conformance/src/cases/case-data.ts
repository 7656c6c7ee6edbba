import { CounterRng, RNG_STREAMS, sizeOf, type DType, type OpCaseTensor } from '@ltssl/core';

/**
 * Seeded inputs for generated cases. Float values are rounded to float32, so a
 * case means the same in float32 and float64 and only the arithmetic differs.
 */
export class CaseData {
  #counter = 0;

  constructor(readonly seed: number) {}

  #rng(): CounterRng {
    return new CounterRng(this.seed, RNG_STREAMS.data, this.#counter++);
  }

  /** Normal draws times `scale` plus `shift`. */
  normal(shape: readonly number[], scale = 1, shift = 0, dtype: DType = 'float64'): OpCaseTensor {
    const rng = this.#rng();
    const data = Array.from({ length: sizeOf(shape) }, (_, i) => Math.fround(shift + scale * rng.normal(i)));
    return { dtype, shape, data };
  }

  /** Uniform draws in [low, high). */
  uniform(shape: readonly number[], low: number, high: number, dtype: DType = 'float64'): OpCaseTensor {
    const rng = this.#rng();
    const data = Array.from({ length: sizeOf(shape) }, (_, i) => Math.fround(low + (high - low) * rng.uniform(i)));
    return { dtype, shape, data };
  }

  /** Magnitudes in [low, high) with random signs: away from zero. */
  signed(shape: readonly number[], low: number, high: number): OpCaseTensor {
    const magnitude = this.uniform(shape, low, high);
    const rng = this.#rng();
    return { ...magnitude, data: magnitude.data.map((v, i) => (rng.uniform(i) < 0.5 ? -v : v)) };
  }

  /** Integers in [low, high). */
  ints(shape: readonly number[], low: number, high: number): OpCaseTensor {
    const rng = this.#rng();
    return { dtype: 'int32', shape, data: Array.from({ length: sizeOf(shape) }, (_, i) => low + rng.int(i, high - low)) };
  }

  /** Multiples of `step` plus `offset`: two such tensors with offsets differing by step/2 never tie. */
  grid(shape: readonly number[], step: number, offset: number): OpCaseTensor {
    const rng = this.#rng();
    return { dtype: 'float64', shape, data: Array.from({ length: sizeOf(shape) }, (_, i) => Math.fround(offset + step * (rng.int(i, 41) - 20))) };
  }
}
