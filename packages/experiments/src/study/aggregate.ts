import type { CellResult, MethodFamily } from './cell.js';
import { studentTQuantile } from './student-t.js';

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
  /** The seed of each of delta.values, in the same order (what pairs two methods' Deltas). */
  readonly seedIds: readonly number[];
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
  const groups = new Map<string, { method: string; family: MethodFamily; n: number; r: number; metric: string; deltas: number[]; seedIds: number[]; gains: number[]; normalized: number[] }>();
  for (const cell of done) {
    if (cell.cell.family === 'random' || cell.cell.r === 1) continue;
    const balanced = byKey.get(key(cell.cell.method, cell.cell.n, 1, cell.cell.seed));
    if (!balanced) continue;
    for (const [metric, value] of Object.entries(cell.metrics)) {
      const base = balanced.metrics[metric];
      if (base === undefined || base === 0) continue;
      const k = key(cell.cell.method, cell.cell.n, cell.cell.r, metric);
      const g = groups.get(k) ?? { method: cell.cell.method, family: cell.cell.family, n: cell.cell.n, r: cell.cell.r, metric, deltas: [], seedIds: [], gains: [], normalized: [] };
      g.deltas.push((base - value) / base);
      g.seedIds.push(cell.cell.seed);
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
      seedIds: g.seedIds,
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

/** Fewer paired seeds than this and no verdict is given: with 2 the t interval is 12.7 standard errors wide either way. */
export const MIN_VERDICT_SEEDS = 3;

/** Seeds a study could run, at most: past this, the difference is called out of reach. */
const MAX_SEEDS_NEEDED = 100_000;

/**
 * The paper's headline at one (n, r) and metric, as a paired test: the same
 * seed gives every method the same pre-training subset, the same augmentation
 * draws and the same probe sets, so the per-seed difference
 * d_s = Delta_SL(s) - Delta_SSL(s) removes what the seed shares. Over the k
 * seeds both methods have: mean d, its standard error sd(d) / sqrt(k), the
 * t statistic mean / SE with k - 1 degrees of freedom, and the 95% interval
 * mean -+ t_{0.975, k-1} SE. The verdict is the interval's: above 0, SSL more
 * robust; below 0, SL more robust; across 0, within noise; and none under
 * MIN_VERDICT_SEEDS seeds.
 */
export interface Comparison {
  readonly n: number;
  readonly r: number;
  readonly metric: string;
  readonly ssl: { readonly method: string; readonly delta: SeedStats };
  readonly sl: { readonly method: string; readonly delta: SeedStats };
  /** d_s = Delta_SL(s) - Delta_SSL(s) for each seed both have (values in seed order). */
  readonly paired: SeedStats;
  /** The mean of d: Delta_SL - Delta_SSL over the paired seeds. */
  readonly difference: number;
  /** sd(d) / sqrt(k). */
  readonly standardError: number;
  /** k - 1. */
  readonly degreesOfFreedom: number;
  /** mean / SE; absent under 2 seeds or with no spread. */
  readonly t?: number;
  /** The 95% interval of the mean difference; absent under 2 seeds. */
  readonly interval?: readonly [number, number];
  /**
   * The fewest seeds at which a difference of this mean and this spread
   * would clear its 95% interval (MIN_VERDICT_SEEDS at least); absent when
   * there is no spread to extrapolate from (under 2 seeds), when the mean is 0,
   * or when it would take more than 100000.
   */
  readonly seedsNeeded?: number;
  readonly verdict: 'ssl-more-robust' | 'sl-more-robust' | 'within-noise' | 'too-few-seeds';
}

/** The interval's half-width in standard deviations of d at k seeds: t_{0.975, k-1} / sqrt(k). */
const halfWidth = (k: number): number => studentTQuantile(0.975, k - 1) / Math.sqrt(k);

/**
 * The fewest seeds k >= MIN_VERDICT_SEEDS with t_{0.975, k-1} sd / sqrt(k) < |mean|: the
 * half-width falls with k, so double until it clears, then bisect.
 */
export function seedsToClear(mean: number, sd: number): number | undefined {
  if (mean === 0 || !Number.isFinite(mean) || !Number.isFinite(sd)) return undefined;
  const clears = (k: number): boolean => halfWidth(k) * sd < Math.abs(mean);
  let hi = MIN_VERDICT_SEEDS;
  while (!clears(hi)) {
    if (hi >= MAX_SEEDS_NEEDED) return undefined;
    hi = Math.min(hi * 2, MAX_SEEDS_NEEDED);
  }
  let lo = hi === MIN_VERDICT_SEEDS ? MIN_VERDICT_SEEDS - 1 : hi / 2;
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (clears(mid)) hi = mid;
    else lo = mid;
  }
  return hi;
}

/** The paired test of one SSL and one SL Delta row (same n, r, metric). */
export function pairedComparison(ssl: DeltaRow, sl: DeltaRow): Comparison {
  const sslBySeed = new Map(ssl.seedIds.map((seed, i) => [seed, ssl.delta.values[i]!]));
  const both = sl.seedIds.map((seed, i) => ({ seed, d: sl.delta.values[i]! - (sslBySeed.get(seed) ?? Number.NaN) })).filter((x) => !Number.isNaN(x.d));
  both.sort((a, b) => a.seed - b.seed);
  const paired = seedStats(both.map((x) => x.d));
  const k = paired.seeds;
  const standardError = k > 0 ? paired.std / Math.sqrt(k) : 0;
  const base = { n: ssl.n, r: ssl.r, metric: ssl.metric, ssl: { method: ssl.method, delta: ssl.delta }, sl: { method: sl.method, delta: sl.delta }, paired, difference: k > 0 ? paired.mean : Number.NaN, standardError, degreesOfFreedom: Math.max(k - 1, 0) };
  if (k < 2) return { ...base, verdict: 'too-few-seeds' };
  const half = studentTQuantile(0.975, k - 1) * standardError;
  const interval = [paired.mean - half, paired.mean + half] as const;
  const seedsNeeded = seedsToClear(paired.mean, paired.std);
  const extra = { interval, ...(standardError > 0 ? { t: paired.mean / standardError } : {}), ...(seedsNeeded === undefined ? {} : { seedsNeeded }) };
  if (k < MIN_VERDICT_SEEDS) return { ...base, ...extra, verdict: 'too-few-seeds' };
  const verdict = interval[0] > 0 ? 'ssl-more-robust' : interval[1] < 0 ? 'sl-more-robust' : 'within-noise';
  return { ...base, ...extra, verdict };
}

/** Every SSL method against every SL method at each (n, r, metric) both have a Delta for. */
export function compareDeltas(rows: readonly DeltaRow[]): Comparison[] {
  const out: Comparison[] = [];
  for (const ssl of rows.filter((r) => r.family === 'ssl')) {
    for (const sl of rows.filter((r) => r.family === 'sl' && r.n === ssl.n && r.r === ssl.r && r.metric === ssl.metric)) out.push(pairedComparison(ssl, sl));
  }
  return out;
}
