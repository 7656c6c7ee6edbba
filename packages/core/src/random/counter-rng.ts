import { philox4x32 } from './philox.js';

/**
 * Named streams keep unrelated draws apart: the same (seed, step, index) in
 * the shuffle stream and in the augmentation stream are independent.
 */
export const RNG_STREAMS = {
  /** Parameter initialisation; the step is a hash of the parameter name. */
  init: 1,
  /** Per-epoch shuffles of the training set; the step is the epoch. */
  shuffle: 2,
  /** Per-sample augmentation draws; the step is the epoch. */
  augment: 3,
  /** Long-tail subsampling of a dataset; the step is 0. */
  sample: 4,
  /** State initialised from noise (MoCo's queue). */
  state: 5,
  /** Data generated from noise (toy and synthetic sets). */
  data: 6,
} as const;

const TWO_32 = 2 ** 32;

/** 32-bit FNV-1a of a string: turns a parameter name into a stable step for the init stream. */
export function hashName(name: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) {
    hash ^= name.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/**
 * Draws keyed by (seed, stream, step, index): draw i of a key is Philox of
 * counter (block(i), stream, step) under key (seed). The same key gives the same
 * numbers whatever was drawn before or elsewhere.
 */
export class CounterRng {
  readonly #words = new Uint32Array(4);
  readonly #k0: number;
  readonly #k1: number;

  /**
   * @param seed non-negative integer below 2^53 (the run's seed)
   * @param stream one of RNG_STREAMS (or any uint32)
   * @param step epoch, step or hashed name (uint32)
   */
  constructor(
    readonly seed: number,
    readonly stream: number,
    readonly step: number,
  ) {
    if (!Number.isSafeInteger(seed) || seed < 0) throw new Error(`rng seed must be a non-negative integer below 2^53, got ${seed}`);
    for (const [name, value] of [['stream', stream], ['step', step]] as const) {
      if (!Number.isInteger(value) || value < 0 || value >= TWO_32) throw new Error(`rng ${name} must be an integer in [0, 2^32), got ${value}`);
    }
    this.#k0 = seed % TWO_32;
    this.#k1 = Math.floor(seed / TWO_32);
  }

  /** The four uint32 words of block `block` (a non-negative integer below 2^32). */
  #block(block: number): Uint32Array {
    philox4x32(block, 0, this.stream, this.step, this.#k0, this.#k1, this.#words);
    return this.#words;
  }

  /** Uniform in [0, 1) with 53 random bits: draw `index` uses half of block index/2. */
  uniform(index: number): number {
    const words = this.#block(Math.floor(index / 2));
    const o = (index % 2) * 2;
    return ((words[o]! >>> 5) * 67108864 + (words[o + 1]! >>> 6)) / 9007199254740992;
  }

  /** Fills `out` with uniform draws `offset`, `offset + 1`, ... in [low, high). */
  fillUniform(out: Float32Array | Float64Array, low = 0, high = 1, offset = 0): void {
    for (let i = 0; i < out.length; i++) out[i] = low + (high - low) * this.uniform(offset + i);
  }

  /** Standard normal draw `index` (Box-Muller on uniforms 2*index and 2*index + 1). */
  normal(index: number): number {
    // 1 - u is in (0, 1], so the log is finite.
    const u1 = 1 - this.uniform(2 * index);
    const u2 = this.uniform(2 * index + 1);
    return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
  }

  /** Fills `out` with normal draws of the given mean and standard deviation. */
  fillNormal(out: Float32Array | Float64Array, mean = 0, std = 1, offset = 0): void {
    for (let i = 0; i < out.length; i++) out[i] = mean + std * this.normal(offset + i);
  }

  /** Integer in [0, n) from draw `index` (n <= 2^32). */
  int(index: number, n: number): number {
    return Math.floor(this.uniform(index) * n);
  }

  /**
   * A permutation of 0..n-1: indices sorted by their own draws, so it is the same
   * however it is computed, and O(n log n).
   */
  permutation(n: number): Int32Array {
    const keys = new Float64Array(n);
    for (let i = 0; i < n; i++) keys[i] = this.uniform(i);
    const order = Int32Array.from({ length: n }, (_, i) => i);
    return order.sort((a, b) => keys[a]! - keys[b]! || a - b);
  }
}
