import type { CellEnvironment, CellResult, MethodFamily } from '../study/cell.js';

/** One (protocol, method) of the study: what ran of it and what failed. */
export interface MethodInventory {
  readonly protocol: string;
  readonly method: string;
  readonly family: MethodFamily;
  readonly sizes: readonly number[];
  readonly ratios: readonly number[];
  readonly seeds: readonly number[];
  readonly done: number;
  readonly failed: number;
  /** Sum of the cells' wall-clock seconds. */
  readonly seconds: number;
}

/** Cells that ran in the same environment (driver, device, versions). */
export interface EnvironmentGroup {
  readonly environment: CellEnvironment;
  readonly cells: number;
}

/** One protocol's grid: its n, r and seeds (the toy model's n is not a pre-training size of the imbalance sweep). */
export interface ProtocolInventory {
  readonly protocol: string;
  readonly cells: number;
  readonly sizes: readonly number[];
  readonly ratios: readonly number[];
  readonly seeds: readonly number[];
}

/** What was run, as the cells themselves record it. */
export interface StudyInventory {
  readonly cells: number;
  readonly done: number;
  readonly failed: number;
  readonly protocols: readonly ProtocolInventory[];
  readonly methods: readonly MethodInventory[];
  readonly inDomain: readonly string[];
  readonly outOfDomain: readonly string[];
  readonly configHashes: readonly string[];
  /** Earliest start and latest finish over all cells, as recorded (ISO strings sort by time). */
  readonly startedAt?: string;
  readonly finishedAt?: string;
  readonly environments: readonly EnvironmentGroup[];
}

const FAMILY_ORDER: Readonly<Record<MethodFamily, number>> = { ssl: 0, sl: 1, random: 2 };

const ascending = (values: Iterable<number>): number[] => [...new Set(values)].sort((a, b) => a - b);
const sortedStrings = (values: Iterable<string>): string[] => [...new Set(values)].sort();

/** Stable JSON (keys sorted), so two equal environments group whatever order their keys were written in. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
    return `{${entries.sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

export function studyInventory(results: readonly CellResult[]): StudyInventory {
  const methods = new Map<string, { protocol: string; method: string; family: MethodFamily; cells: CellResult[] }>();
  for (const r of results) {
    const k = `${r.cell.protocol}|${r.cell.method}`;
    const group = methods.get(k) ?? { protocol: r.cell.protocol, method: r.cell.method, family: r.cell.family, cells: [] };
    group.cells.push(r);
    methods.set(k, group);
  }
  const environments = new Map<string, { environment: CellEnvironment; cells: number }>();
  for (const r of results) {
    if (!r.environment) continue; // a hand-made or truncated result: nothing to group
    const k = canonical(r.environment);
    const group = environments.get(k) ?? { environment: r.environment, cells: 0 };
    group.cells++;
    environments.set(k, group);
  }
  const starts = results.map((r) => r.startedAt).filter((s): s is string => typeof s === 'string').sort();
  const ends = results.map((r) => r.finishedAt).filter((s): s is string => typeof s === 'string').sort();
  return {
    cells: results.length,
    done: results.filter((r) => r.status === 'done').length,
    failed: results.filter((r) => r.status !== 'done').length,
    protocols: sortedStrings(results.map((r) => r.cell.protocol)).map((protocol) => {
      const cells = results.filter((r) => r.cell.protocol === protocol);
      return { protocol, cells: cells.length, sizes: ascending(cells.map((r) => r.cell.n)), ratios: ascending(cells.map((r) => r.cell.r)).reverse(), seeds: ascending(cells.map((r) => r.cell.seed)) };
    }),
    methods: [...methods.values()]
      .map((g) => ({
        protocol: g.protocol,
        method: g.method,
        family: g.family,
        sizes: ascending(g.cells.map((c) => c.cell.n)),
        ratios: ascending(g.cells.map((c) => c.cell.r)).reverse(),
        seeds: ascending(g.cells.map((c) => c.cell.seed)),
        done: g.cells.filter((c) => c.status === 'done').length,
        failed: g.cells.filter((c) => c.status !== 'done').length,
        seconds: g.cells.reduce((a, c) => a + (Number.isFinite(c.seconds) ? c.seconds : 0), 0),
      }))
      .sort((a, b) => a.protocol.localeCompare(b.protocol) || FAMILY_ORDER[a.family] - FAMILY_ORDER[b.family] || a.method.localeCompare(b.method)),
    inDomain: sortedStrings(results.map((r) => r.data?.inDomain).filter((d): d is string => typeof d === 'string')),
    outOfDomain: sortedStrings(results.map((r) => r.data?.outOfDomain).filter((d): d is string => typeof d === 'string')),
    configHashes: sortedStrings(results.map((r) => r.configHash)),
    ...(starts.length > 0 ? { startedAt: starts[0] } : {}),
    ...(ends.length > 0 ? { finishedAt: ends[ends.length - 1] } : {}),
    // Most cells first; ties by content, so the order never depends on file order.
    environments: [...environments.entries()].sort(([ka, a], [kb, b]) => b.cells - a.cells || ka.localeCompare(kb)).map(([, g]) => g),
  };
}
