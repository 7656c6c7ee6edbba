import type { FeatureMatrix } from './extract-features.js';

export interface KnnOptions {
  /** Neighbours that vote (the SimSiam / InstDisc monitor: 200; small sets: 20). */
  readonly k: number;
  /** Votes are weighted exp(similarity / temperature) (InstDisc: 0.07). */
  readonly temperature: number;
  readonly classes: number;
}

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

/**
 * Weighted k-nearest-neighbour accuracy (Wu et al. 2018, the monitor of the
 * SimSiam and MoCo code): cosine similarity of L2-normalised features; each of
 * the k most similar bank rows votes for its label with weight
 * exp(similarity / temperature); the class with the most weight wins. Runs on
 * the host: it is a monitor on at most a few thousand rows, and it keeps the
 * result independent of the driver.
 */
export function knnAccuracy(bank: FeatureMatrix, queries: FeatureMatrix, options: KnnOptions): number {
  if (bank.dim !== queries.dim) throw new Error(`kNN: bank features have ${bank.dim} dimensions, queries ${queries.dim}`);
  const k = Math.min(options.k, bank.count);
  const b = normalizeRows(bank);
  const q = normalizeRows(queries);
  const dim = bank.dim;
  const sims = new Float32Array(bank.count);
  const topIndex = new Int32Array(k);
  const topSim = new Float32Array(k);
  const votes = new Float64Array(options.classes);
  let correct = 0;
  for (let r = 0; r < queries.count; r++) {
    for (let i = 0; i < bank.count; i++) {
      let s = 0;
      for (let d = 0; d < dim; d++) s += q[r * dim + d]! * b[i * dim + d]!;
      sims[i] = s;
    }
    // Keep the k largest in a small sorted array (k is tiny next to the bank).
    let filled = 0;
    for (let i = 0; i < bank.count; i++) {
      const s = sims[i]!;
      if (filled === k && s <= topSim[k - 1]!) continue;
      let j = filled < k ? filled++ : k - 1;
      while (j > 0 && topSim[j - 1]! < s) {
        topSim[j] = topSim[j - 1]!;
        topIndex[j] = topIndex[j - 1]!;
        j--;
      }
      topSim[j] = s;
      topIndex[j] = i;
    }
    votes.fill(0);
    for (let j = 0; j < filled; j++) votes[bank.labels[topIndex[j]!]!]! += Math.exp(topSim[j]! / options.temperature);
    let best = 0;
    for (let c = 1; c < options.classes; c++) if (votes[c]! > votes[best]!) best = c;
    if (best === queries.labels[r]) correct++;
  }
  return correct / queries.count;
}
