import type { CellResult, MethodFamily } from './cell.js';

/** Mean and sample standard deviation over seeds (std 0 for one seed). */
export interface SeedStats {
  readonly mean: number;
  readonly std: number;
  readonly seeds: number;
  readonly values: readonly number[];
}

/** A metric of one method at one (n, r), over seeds. */
export interface AccuracyRow {
  readonly protocol: string;
  /** The imbalance profile when the cells name one (rwsam). */
  readonly profile?: 'exp' | 'step';
  readonly method: string;
  readonly family: MethodFamily;
  readonly n: number;
  readonly r: number;
  readonly metric: string;
  readonly stats: SeedStats;
}

/**
 * The relative gap Delta(n, r) = (A(n, 1) - A(n, r)) / A(n, 1) of docs/paper.md,
 * computed per seed from the same seed's balanced and imbalanced cells, then
 * averaged. Also the gain over the random-init encoder and Delta normalised by
 * that gain, which small studies need (docs/paper.md, "Measuring at small scale").
 */
export interface DeltaRow {
  readonly method: string;
  readonly family: MethodFamily;
  readonly n: number;
  readonly r: number;
  readonly metric: string;
  readonly delta: SeedStats;
  /** A(n, 1) - A_random(n, 1): what pre-training adds on balanced data. */
  readonly gain?: SeedStats;
  /** (A(n, 1) - A(n, r)) / (A(n, 1) - A_random): the share of the gain lost to imbalance. */
  readonly normalizedDelta?: SeedStats;
}

export function seedStats(values: readonly number[]): SeedStats {
  const n = values.length;
  const mean = values.reduce((a, b) => a + b, 0) / n;
  const std = n > 1 ? Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1)) : 0;
  return { mean, std, seeds: n, values: [...values] };
}

const key = (...parts: (string | number)[]): string => parts.join('|');

/** Every metric of every (protocol, method, n, r) over its seeds; failed cells are left out. */
export function accuracyRows(results: readonly CellResult[]): AccuracyRow[] {
  const groups = new Map<string, { row: Omit<AccuracyRow, 'stats'>; values: number[] }>();
  for (const r of results) {
    if (r.status !== 'done') continue;
    for (const [metric, value] of Object.entries(r.metrics)) {
      const k = key(r.cell.protocol, r.cell.profile ?? '', r.cell.method, r.cell.n, r.cell.r, metric);
      const row = { protocol: r.cell.protocol, ...(r.cell.profile ? { profile: r.cell.profile } : {}), method: r.cell.method, family: r.cell.family, n: r.cell.n, r: r.cell.r, metric };
      const group = groups.get(k) ?? { row, values: [] };
      group.values.push(value);
      groups.set(k, group);
    }
  }
  return [...groups.values()].map((g) => ({ ...g.row, stats: seedStats(g.values) })).sort(compareRows);
}

function compareRows(a: { method: string; n: number; r: number; metric: string }, b: { method: string; n: number; r: number; metric: string }): number {
  return a.method.localeCompare(b.method) || a.metric.localeCompare(b.metric) || a.n - b.n || b.r - a.r;
}

/**
 * Delta(n, r) per method and metric for the imbalance protocol: for every
 * seed that has both the balanced cell (r = 1) and the imbalanced one at the
 * same n. The random-init encoder gets no Delta of its own; it is the floor of
 * `gain` (matched by seed when it has the seed, else its mean).
 */
export function deltaRows(results: readonly CellResult[]): DeltaRow[] {
  const done = results.filter((r) => r.status === 'done' && r.cell.protocol === 'imbalance');
  const byKey = new Map(done.map((r) => [key(r.cell.method, r.cell.n, r.cell.r, r.cell.seed), r]));
  const random = done.filter((r) => r.cell.family === 'random');
  const rows: DeltaRow[] = [];
  const groups = new Map<string, { method: string; family: MethodFamily; n: number; r: number; metric: string; deltas: number[]; gains: number[]; normalized: number[] }>();
  for (const cell of done) {
    if (cell.cell.family === 'random' || cell.cell.r === 1) continue;
    const balanced = byKey.get(key(cell.cell.method, cell.cell.n, 1, cell.cell.seed));
    if (!balanced) continue;
    for (const [metric, value] of Object.entries(cell.metrics)) {
      const base = balanced.metrics[metric];
      if (base === undefined || base === 0) continue;
      const k = key(cell.cell.method, cell.cell.n, cell.cell.r, metric);
      const g = groups.get(k) ?? { method: cell.cell.method, family: cell.cell.family, n: cell.cell.n, r: cell.cell.r, metric, deltas: [], gains: [], normalized: [] };
      g.deltas.push((base - value) / base);
      const floor = randomFloor(random, metric, cell.cell.seed);
      if (floor !== undefined) {
        g.gains.push(base - floor);
        if (base - floor > 0) g.normalized.push((base - value) / (base - floor));
      }
      groups.set(k, g);
    }
  }
  for (const g of groups.values()) {
    rows.push({
      method: g.method,
      family: g.family,
      n: g.n,
      r: g.r,
      metric: g.metric,
      delta: seedStats(g.deltas),
      ...(g.gains.length > 0 ? { gain: seedStats(g.gains) } : {}),
      ...(g.normalized.length > 0 ? { normalizedDelta: seedStats(g.normalized) } : {}),
    });
  }
  return rows.sort(compareRows);
}

/** The random-init encoder's accuracy for a metric: the same seed's when present, else the mean over seeds. */
function randomFloor(random: readonly CellResult[], metric: string, seed: number): number | undefined {
  const values = random.map((r) => ({ seed: r.cell.seed, value: r.metrics[metric] })).filter((v): v is { seed: number; value: number } => v.value !== undefined);
  if (values.length === 0) return undefined;
  return values.find((v) => v.seed === seed)?.value ?? values.reduce((a, v) => a + v.value, 0) / values.length;
}

/**
 * The paper's headline at one (n, r) and metric: is Delta_SSL below Delta_SL
 * by more than two standard deviations of the difference? Honest about noise:
 * 'within noise' when it is not.
 */
export interface Comparison {
  readonly n: number;
  readonly r: number;
  readonly metric: string;
  readonly ssl: { readonly method: string; readonly delta: SeedStats };
  readonly sl: { readonly method: string; readonly delta: SeedStats };
  /** Delta_SL - Delta_SSL. */
  readonly difference: number;
  /** sqrt(std_SSL^2 / k_SSL + std_SL^2 / k_SL): the standard error of the difference. */
  readonly standardError: number;
  readonly verdict: 'ssl-more-robust' | 'sl-more-robust' | 'within-noise';
}

export function compareDeltas(rows: readonly DeltaRow[]): Comparison[] {
  const out: Comparison[] = [];
  for (const ssl of rows.filter((r) => r.family === 'ssl')) {
    for (const sl of rows.filter((r) => r.family === 'sl' && r.n === ssl.n && r.r === ssl.r && r.metric === ssl.metric)) {
      const difference = sl.delta.mean - ssl.delta.mean;
      const standardError = Math.sqrt(ssl.delta.std ** 2 / ssl.delta.seeds + sl.delta.std ** 2 / sl.delta.seeds);
      const verdict = standardError === 0 ? 'within-noise' : difference > 2 * standardError ? 'ssl-more-robust' : difference < -2 * standardError ? 'sl-more-robust' : 'within-noise';
      out.push({ n: ssl.n, r: ssl.r, metric: ssl.metric, ssl: { method: ssl.method, delta: ssl.delta }, sl: { method: sl.method, delta: sl.delta }, difference, standardError, verdict });
    }
  }
  return out;
}
