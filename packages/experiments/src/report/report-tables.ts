import type { AccuracyRow, Comparison, DeltaRow, SeedStats } from '../study/aggregate.js';
import type { CellResult } from '../study/cell.js';
import type { ClassCountGroup } from './class-count-groups.js';
import type { TextTable } from './document.js';
import { fixed, numberList, percent, percentStats, rawStats } from './format.js';
import { sortMetrics } from './metric-label.js';
import type { PerClassRow } from './per-class-rows.js';
import type { EnvironmentGroup, MethodInventory } from './study-inventory.js';
import { verdictText } from './verdict.js';

const NONE = '—';
const FAMILY_ORDER: Readonly<Record<string, number>> = { ssl: 0, sl: 1, random: 2 };

export function methodsTable(methods: readonly MethodInventory[]): TextTable {
  return {
    header: ['protocol', 'method', 'arm', 'n', 'r', 'seeds', 'done', 'failed', 'cell time (s)'],
    numeric: [false, false, false, false, false, false, true, true, true],
    rows: methods.map((m) => [m.protocol, m.method, m.family, numberList(m.sizes), numberList(m.ratios, 'desc'), numberList(m.seeds), String(m.done), String(m.failed), fixed(m.seconds, 0)]),
  };
}

/**
 * Metrics side by side, one row per (method, n, r): mean ± std over seeds.
 * A metric measured on fewer seeds than the row's others says how many.
 */
function pivot(rows: readonly AccuracyRow[], format: (s: SeedStats) => string, unit: string): TextTable {
  const metrics = sortMetrics(rows.map((r) => r.metric));
  const groups = new Map<string, { first: AccuracyRow; byMetric: Map<string, SeedStats> }>();
  for (const r of rows) {
    const k = `${r.method}|${r.n}|${r.r}`;
    const g = groups.get(k) ?? { first: r, byMetric: new Map<string, SeedStats>() };
    g.byMetric.set(r.metric, r.stats);
    groups.set(k, g);
  }
  const ordered = [...groups.values()].sort((a, b) => (FAMILY_ORDER[a.first.family] ?? 3) - (FAMILY_ORDER[b.first.family] ?? 3) || a.first.method.localeCompare(b.first.method) || a.first.n - b.first.n || b.first.r - a.first.r);
  return {
    header: ['method', 'arm', 'n', 'r', 'seeds', ...metrics.map((m) => `${m}${unit}`)],
    numeric: [false, false, true, true, true, ...metrics.map(() => true)],
    rows: ordered.map(({ first, byMetric }) => {
      const seeds = Math.max(...[...byMetric.values()].map((s) => s.seeds));
      return [
        first.method,
        first.family,
        String(first.n),
        String(first.r),
        String(seeds),
        ...metrics.map((m) => {
          const s = byMetric.get(m);
          if (!s) return NONE;
          return s.seeds < seeds ? `${format(s)} (${s.seeds} ${s.seeds === 1 ? 'seed' : 'seeds'})` : format(s);
        }),
      ];
    }),
  };
}

/** Accuracy of the imbalance protocol, in percent. */
export function accuracyTable(rows: readonly AccuracyRow[]): TextTable {
  return pivot(rows, percentStats, ' (%)');
}

/** The toy protocol's metrics, raw (not all are accuracies). */
export function toyTable(rows: readonly AccuracyRow[]): TextTable {
  return pivot(rows, rawStats, '');
}

/** The rwSAM protocol's accuracy per variant and profile, in percent. */
export function rwsamTable(rows: readonly AccuracyRow[]): TextTable {
  // The balanced variant has no profile: one cell per seed serves every profile.
  return pivot(rows.map((r) => ({ ...r, method: r.profile ? `${r.method} (${r.profile})` : r.method })), percentStats, ' (%)');
}

const stats = (s: SeedStats | undefined): string => (s ? percentStats(s) : NONE);

export function deltaTable(rows: readonly DeltaRow[]): TextTable {
  const order = sortMetrics(rows.map((r) => r.metric));
  const sorted = [...rows].sort((a, b) => order.indexOf(a.metric) - order.indexOf(b.metric) || FAMILY_ORDER[a.family]! - FAMILY_ORDER[b.family]! || a.method.localeCompare(b.method) || a.n - b.n || b.r - a.r);
  return {
    header: ['metric', 'method', 'arm', 'n', 'r', 'Δ (%)', 'gain over random init (points)', 'normalised Δ (%)', 'seeds'],
    numeric: [false, false, false, true, true, true, true, true, true],
    rows: sorted.map((d) => [d.metric, d.method, d.family, String(d.n), String(d.r), stats(d.delta), stats(d.gain), stats(d.normalizedDelta), String(d.delta.seeds)]),
  };
}

/** The paired test of every SSL vs SL comparison (compareDeltas): the difference, its statistics and the verdict. */
export function comparisonTable(comparisons: readonly Comparison[]): TextTable {
  const pts = (x: number | undefined): string => (x === undefined || !Number.isFinite(x) ? NONE : fixed(x * 100, 2));
  return {
    header: ['metric', 'n', 'r', 'SSL method', 'Δ_SSL (%)', 'SL method', 'Δ_SL (%)', 'paired seeds', 'Δ_SL − Δ_SSL (points)', 'SE (points)', 't', 'df', '95% interval (points)', 'seeds to clear', 'verdict'],
    numeric: [false, true, true, false, true, false, true, true, true, true, true, true, false, true, false],
    rows: comparisons.map((c) => [
      c.metric,
      String(c.n),
      String(c.r),
      c.ssl.method,
      `${percentStats(c.ssl.delta)} (${c.ssl.delta.seeds})`,
      c.sl.method,
      `${percentStats(c.sl.delta)} (${c.sl.delta.seeds})`,
      String(c.paired.seeds),
      pts(c.difference),
      c.paired.seeds > 1 ? pts(c.standardError) : NONE,
      c.t === undefined ? NONE : fixed(c.t, 2),
      String(c.degreesOfFreedom),
      c.interval ? `[${pts(c.interval[0])}, ${pts(c.interval[1])}]` : NONE,
      c.seedsNeeded === undefined ? NONE : String(c.seedsNeeded),
      verdictText(c),
    ]),
  };
}

export function classCountTable(groups: readonly ClassCountGroup[]): TextTable {
  return {
    header: ['n', 'r', 'seeds', 'methods', 'total', 'images per class (class 0 first)'],
    numeric: [true, true, false, false, true, false],
    rows: groups.map((g) => [String(g.n), String(g.r), numberList(g.seeds), g.methods.join(', '), String(g.counts.reduce((a, b) => a + b, 0)), g.counts.join(', ')]),
  };
}

/** Past this many classes the per-class accuracies go in one cell rather than a column each. */
const MAX_CLASS_COLUMNS = 20;

/** One table per metric: per-class accuracies (%) averaged over seeds; tail classes are marked. */
export function perClassTables(rows: readonly PerClassRow[]): { metric: string; table: TextTable }[] {
  return sortMetrics(rows.map((r) => r.metric)).map((metric) => {
    const picked = rows.filter((r) => r.metric === metric).sort((a, b) => FAMILY_ORDER[a.family]! - FAMILY_ORDER[b.family]! || a.method.localeCompare(b.method) || a.n - b.n || b.r - a.r);
    const classes = Math.max(...picked.map((r) => r.means.length));
    const tail = Math.floor(classes / 2);
    const cell = (x: number | undefined): string => (x === undefined || !Number.isFinite(x) ? NONE : percent(x));
    const wide = classes <= MAX_CLASS_COLUMNS;
    const classHeaders = wide ? Array.from({ length: classes }, (_, c) => `${c}${c >= tail ? ' (tail)' : ''}`) : [`per class, 0 to ${classes - 1} (tail from ${tail})`];
    return {
      metric,
      table: {
        header: ['method', 'arm', 'n', 'r', 'seeds', ...classHeaders],
        numeric: [false, false, true, true, true, ...classHeaders.map(() => wide)],
        rows: picked.map((r) => [r.method, r.family, String(r.n), String(r.r), String(r.seeds), ...(wide ? Array.from({ length: classes }, (_, c) => cell(r.means[c])) : [r.means.map(cell).join(', ')])]),
      },
    };
  });
}

export function failedTable(failed: readonly CellResult[]): TextTable {
  return {
    header: ['cell', 'protocol', 'method', 'n', 'r', 'seed', 'error'],
    numeric: [false, false, false, true, true, true, false],
    rows: failed.map((f) => [f.cell.id, f.cell.protocol, f.cell.method, String(f.cell.n), String(f.cell.r), String(f.cell.seed), f.error?.trim() || 'no error message recorded']),
  };
}

export function environmentTable(groups: readonly EnvironmentGroup[]): TextTable {
  return {
    header: ['cells', 'driver', 'device', 'ltssl', 'node', 'platform', 'git commit', 'package-lock.json SHA-256', 'packages'],
    numeric: [true, false, false, false, false, false, false, false, false],
    rows: groups.map(({ environment: e, cells }) => [
      String(cells),
      e.driver,
      e.device,
      e.ltsslVersion,
      e.node,
      e.platform,
      e.gitCommit ?? NONE,
      e.lockfileHash ?? NONE,
      Object.entries(e.packages ?? {})
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([name, version]) => `${name} ${version}`)
        .join(', ') || NONE,
    ]),
  };
}
