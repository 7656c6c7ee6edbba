import { hostTensor, type Executable, type Feeds, type Fetches, type HostTensor } from '@ltssl/core';
import { evalBatches, type Batch } from '../data/batches.js';

/**
 * The one batched predict: runs `executable` over `items` in evaluation
 * batches of its static size `batch` (every item once, in order; the last
 * batch padded by repeating its first item, evalBatches), handing each batch's
 * fetched outputs to `take` with the batch and the position of its first
 * item. Only rows 0 .. b.real - 1 of an output are data.
 */
export async function forEachBatch(
  executable: Executable,
  items: ArrayLike<number> | number,
  batch: number,
  feeds: (b: Batch) => Feeds,
  fetch: readonly string[],
  take: (out: Fetches, b: Batch, offset: number) => void,
): Promise<void> {
  for (const [k, b] of evalBatches(items, batch).entries()) take(await executable.run(feeds(b), fetch), b, k * batch);
}

/**
 * Output `output` [B, ...row] of every item, row i for items[i]: [count, ...row], padded rows dropped.
 * `onBatch` is told after each batch how many of how many are done.
 */
export async function predictBatches(
  executable: Executable,
  items: ArrayLike<number> | number,
  batch: number,
  feeds: (b: Batch) => Feeds,
  output: string,
  onBatch?: (done: number, total: number) => void,
): Promise<HostTensor> {
  const spec = executable.program.outputs.find((o) => o.name === output);
  if (!spec) throw new Error(`program '${executable.program.name}' has no output '${output}'`);
  const node = executable.program.graph.node(spec.node);
  const [, ...row] = node.shape;
  const count = typeof items === 'number' ? items : items.length;
  const result = hostTensor(node.dtype, [count, ...row]);
  const size = row.reduce((a, b) => a * b, 1);
  const batches = Math.ceil(count / batch);
  await forEachBatch(executable, items, batch, feeds, [output], (out, b, offset) => {
    result.data.set(out[output]!.data.subarray(0, b.real * size), offset * size);
    onBatch?.(offset / batch + 1, batches);
  });
  return result;
}

/** Rows `rows` of a row-major [*, dim] matrix, copied into `into` (row k at k * dim). */
export function gatherRows(values: Float32Array, dim: number, rows: ArrayLike<number>, into: Float32Array): Float32Array {
  for (let k = 0; k < rows.length; k++) into.set(values.subarray(rows[k]! * dim, (rows[k]! + 1) * dim), k * dim);
  return into;
}

/** A head's predicted class of every row of `values` [count, dim]: `predictor` takes 'features' [B, dim] and outputs 'predictions' int32 [B]. */
export async function predictClasses(predictor: Executable, values: Float32Array, dim: number): Promise<Int32Array> {
  const input = predictor.program.inputs.find((i) => i.name === 'features');
  if (!input) throw new Error(`program '${predictor.program.name}' is not a head's predict program: it needs input 'features'`);
  const batch = input.shape[0]!;
  const rows = new Float32Array(batch * dim);
  const predictions = await predictBatches(predictor, values.length / dim, batch, (b) => ({ features: hostTensor('float32', [batch, dim], gatherRows(values, dim, b.indices, rows)) }), 'predictions');
  return predictions.data as Int32Array;
}
