import type { CellResult, MethodFamily } from '../study/cell.js';

/** Mean per-class accuracy of one method at one (n, r) for one metric, over seeds. */
export interface PerClassRow {
  readonly method: string;
  readonly family: MethodFamily;
  readonly n: number;
  readonly r: number;
  readonly metric: string;
  readonly seeds: number;
  /** Class 0 first (the head of the pre-training profile). */
  readonly means: readonly number[];
}

/**
 * Per-class accuracies of the imbalance protocol, averaged over seeds class by
 * class. They show where imbalance bites: the tail classes (index >= C/2) of
 * the pre-training profile. A class a seed did not score (NaN) is averaged
 * over the seeds that did.
 */
export function perClassRows(results: readonly CellResult[]): PerClassRow[] {
  const groups = new Map<string, { row: Omit<PerClassRow, 'seeds' | 'means'>; vectors: (readonly number[])[] }>();
  for (const r of results) {
    if (r.status !== 'done' || r.cell.protocol !== 'imbalance' || !r.perClass) continue;
    for (const [metric, vector] of Object.entries(r.perClass)) {
      const k = `${r.cell.method}|${r.cell.n}|${r.cell.r}|${metric}`;
      const g = groups.get(k) ?? { row: { method: r.cell.method, family: r.cell.family, n: r.cell.n, r: r.cell.r, metric }, vectors: [] };
      g.vectors.push(vector);
      groups.set(k, g);
    }
  }
  return [...groups.values()]
    .map(({ row, vectors }) => {
      const classes = Math.max(...vectors.map((v) => v.length));
      const means = Array.from({ length: classes }, (_, c) => {
        const values = vectors.map((v) => v[c]).filter((x): x is number => typeof x === 'number' && Number.isFinite(x));
        return values.length > 0 ? values.reduce((a, b) => a + b, 0) / values.length : Number.NaN;
      });
      return { ...row, seeds: vectors.length, means };
    })
    .sort((a, b) => a.metric.localeCompare(b.metric) || a.method.localeCompare(b.method) || a.n - b.n || b.r - a.r);
}
