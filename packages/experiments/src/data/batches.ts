import { CounterRng, RNG_STREAMS } from '@ltssl/core';

/** One batch: always `batchSize` rows, so a compiled program sees one static shape. */
export interface Batch {
  /** Items of the batch (dataset indices); padded rows repeat the batch's first item. */
  readonly indices: Int32Array;
  /** Rows 0 .. real - 1 are data; the rest pad the last evaluation batch and must never be scored. */
  readonly real: number;
  /** 1 for a real row, 0 for padding: weight per-row losses or hits by it, or use `real`. */
  readonly mask: Float32Array;
}

/** Items as given, or 0 .. n - 1 for a count. */
function asItems(items: ArrayLike<number> | number): ArrayLike<number> {
  if (typeof items !== 'number') return items;
  if (!Number.isInteger(items) || items < 0) throw new RangeError(`item count must be a non-negative integer, got ${items}`);
  return Int32Array.from({ length: items }, (_, i) => i);
}

function checkBatchSize(batchSize: number): void {
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new RangeError(`batch size must be a positive integer, got ${batchSize}`);
}

/**
 * The items in epoch `epoch`'s order: a permutation from CounterRng stream
 * `shuffle` with step = epoch, so epoch e's order is the same whether the run
 * started at epoch 0 or resumed at e.
 */
export function epochOrder(items: ArrayLike<number> | number, key: { readonly seed: number; readonly epoch: number }): Int32Array {
  const list = asItems(items);
  const order = new CounterRng(key.seed, RNG_STREAMS.shuffle, key.epoch).permutation(list.length);
  return order.map((position) => list[position]!);
}

/**
 * Training batches of one epoch: the items shuffled (epochOrder) and cut into
 * full batches, the last partial batch dropped (its items come back in other
 * epochs' batches). Throws when there are fewer items than one batch, rather
 * than train on nothing.
 */
export function trainBatches(items: ArrayLike<number> | number, batchSize: number, key: { readonly seed: number; readonly epoch: number }): Batch[] {
  checkBatchSize(batchSize);
  const order = epochOrder(items, key);
  if (order.length < batchSize) throw new RangeError(`${order.length} training items make no full batch of ${batchSize}; lower the batch size`);
  const mask = new Float32Array(batchSize).fill(1);
  const batches: Batch[] = [];
  for (let start = 0; start + batchSize <= order.length; start += batchSize) {
    batches.push({ indices: order.slice(start, start + batchSize), real: batchSize, mask });
  }
  return batches;
}

/**
 * Evaluation batches: every item once, in the given order; the last batch
 * padded to `batchSize` by repeating its first item, with `real` and `mask`
 * saying which rows count.
 */
export function evalBatches(items: ArrayLike<number> | number, batchSize: number): Batch[] {
  checkBatchSize(batchSize);
  const list = asItems(items);
  const full = new Float32Array(batchSize).fill(1);
  const batches: Batch[] = [];
  for (let start = 0; start < list.length; start += batchSize) {
    const real = Math.min(batchSize, list.length - start);
    const indices = new Int32Array(batchSize);
    for (let k = 0; k < batchSize; k++) indices[k] = list[start + (k < real ? k : 0)]!;
    const mask = real === batchSize ? full : Float32Array.from({ length: batchSize }, (_, k) => (k < real ? 1 : 0));
    batches.push({ indices, real, mask });
  }
  return batches;
}
