import { hostTensor, Tracer, type Driver, type Feeds } from '@ltssl/core';
import type { Batch } from '../data/batches.js';
import type { FeatureMatrix } from './extract-features.js';
import { forEachBatch, gatherRows } from './predict-batches.js';
import type { PhaseProgress } from '../train/phase-progress.js';

export interface KnnOptions {
  /** Neighbours that vote (the SimSiam / InstDisc monitor: 200; small sets: 20). */
  readonly k: number;
  /** Votes are weighted exp(similarity / temperature) (InstDisc: 0.07). */
  readonly temperature: number;
  readonly classes: number;
  /** Reports the phase's steps (a cell's progress bar); the work is the same without it. */
  readonly progress?: PhaseProgress;
}

/** Queries per similarity run: bounds the [rows, bank] block the driver returns. */
const ROWS = 256;

function normalizeRows(m: FeatureMatrix): Float32Array {
  const out = new Float32Array(m.values.length);
  for (let r = 0; r < m.count; r++) {
    let norm = 0;
    for (let d = 0; d < m.dim; d++) norm += m.values[r * m.dim + d]! ** 2;
    const scale = 1 / Math.max(Math.sqrt(norm), 1e-12);
    for (let d = 0; d < m.dim; d++) out[r * m.dim + d] = m.values[r * m.dim + d]! * scale;
  }
  return out;
}

/** Indices and values of the k largest entries of `row`, largest first. */
function topK(row: Float32Array, k: number, index: Int32Array, value: Float32Array): number {
  let filled = 0;
  for (let i = 0; i < row.length; i++) {
    const s = row[i]!;
    if (filled === k && s <= value[k - 1]!) continue;
    let j = filled < k ? filled++ : k - 1;
    while (j > 0 && value[j - 1]! < s) {
      value[j] = value[j - 1]!;
      index[j] = index[j - 1]!;
      j--;
    }
    value[j] = s;
    index[j] = i;
  }
  return filled;
}

/**
 * Weighted k-nearest-neighbour accuracy (Wu et al. 2018; the monitor of the
 * SimSiam and MoCo code): cosine similarity of L2-normalised features, each of
 * the k most similar bank rows votes for its label with weight
 * exp(similarity / temperature), the heaviest class wins. The similarity
 * blocks [256, bank] are one matmul each on the driver; the top-k and the vote
 * run on the host.
 */
export async function knnAccuracy(driver: Driver, bank: FeatureMatrix, queries: FeatureMatrix, options: KnnOptions): Promise<number> {
  if (bank.dim !== queries.dim) throw new Error(`kNN: bank features have ${bank.dim} dimensions, queries ${queries.dim}`);
  if (bank.count === 0 || queries.count === 0) throw new Error(`kNN: needs a non-empty bank and queries (got ${bank.count} and ${queries.count})`);
  const k = Math.min(options.k, bank.count);
  const dim = bank.dim;
  const tracer = new Tracer('knn-similarity');
  const q = tracer.input('queries', 'float32', [ROWS, dim]);
  const b = tracer.input('bank', 'float32', [bank.count, dim]);
  tracer.output('similarity', q.matmul(b, false, true)); // [ROWS, bank]
  const executable = await driver.compile(tracer.build());
  try {
    const bankFeed = hostTensor('float32', [bank.count, dim], normalizeRows(bank));
    const normalized = normalizeRows(queries);
    const block = new Float32Array(ROWS * dim);
    const index = new Int32Array(k);
    const value = new Float32Array(k);
    const votes = new Float64Array(options.classes);
    let correct = 0;
    const feeds = (rows: Batch): Feeds => ({ queries: hostTensor('float32', [ROWS, dim], gatherRows(normalized, dim, rows.indices, block)), bank: bankFeed });
    await forEachBatch(executable, queries.count, ROWS, feeds, ['similarity'], ({ similarity }, rows, start) => {
      for (let r = 0; r < rows.real; r++) {
        const filled = topK(similarity!.data.subarray(r * bank.count, (r + 1) * bank.count) as Float32Array, k, index, value);
        votes.fill(0);
        for (let j = 0; j < filled; j++) votes[bank.labels[index[j]!]!]! += Math.exp(value[j]! / options.temperature);
        let best = 0;
        for (let c = 1; c < options.classes; c++) if (votes[c]! > votes[best]!) best = c;
        if (best === queries.labels[start + r]) correct++;
      }
      options.progress?.onPhaseStep?.('kNN', start / ROWS + 1, Math.ceil(queries.count / ROWS));
    });
    return correct / queries.count;
  } finally {
    executable.dispose();
  }
}
