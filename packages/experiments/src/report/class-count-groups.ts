import type { CellResult } from '../study/cell.js';

/** The per-class counts of the pre-training subsets at one (n, r), and which seeds drew them. */
export interface ClassCountGroup {
  readonly n: number;
  readonly r: number;
  readonly counts: readonly number[];
  readonly seeds: readonly number[];
  readonly methods: readonly string[];
}

/**
 * Pre-training subsets of the imbalance protocol grouped by (n, r, counts):
 * the sampler's counts depend on n and r only, so one row per (n, r) is the
 * normal case; a second row at the same (n, r) shows cells that disagree
 * (another configuration or dataset). The random-init cells pre-train on
 * nothing and are left out.
 */
export function classCountGroups(results: readonly CellResult[]): ClassCountGroup[] {
  const groups = new Map<string, { n: number; r: number; counts: readonly number[]; seeds: Set<number>; methods: Set<string> }>();
  for (const r of results) {
    if (r.status !== 'done' || r.cell.protocol !== 'imbalance' || r.cell.family === 'random' || !r.classCounts) continue;
    const k = `${r.cell.n}|${r.cell.r}|${r.classCounts.join(',')}`;
    const g = groups.get(k) ?? { n: r.cell.n, r: r.cell.r, counts: r.classCounts, seeds: new Set<number>(), methods: new Set<string>() };
    g.seeds.add(r.cell.seed);
    g.methods.add(r.cell.method);
    groups.set(k, g);
  }
  return [...groups.values()]
    .map((g) => ({ n: g.n, r: g.r, counts: [...g.counts], seeds: [...g.seeds].sort((a, b) => a - b), methods: [...g.methods].sort() }))
    .sort((a, b) => a.n - b.n || b.r - a.r || a.counts.join(',').localeCompare(b.counts.join(',')));
}
