import { accuracyRows, compareDeltas, deltaRows, type AccuracyRow, type Comparison, type DeltaRow, type SeedStats } from '../study/aggregate.js';
import type { CellResult } from '../study/cell.js';
import { classCountGroups, type ClassCountGroup } from './class-count-groups.js';
import { sortMetrics } from './metric-label.js';
import { missingNotes } from './missing-notes.js';
import { perClassRows, type PerClassRow } from './per-class-rows.js';
import { randomFloor } from './random-floor.js';
import { studyInventory, type StudyInventory } from './study-inventory.js';

/** Everything the report shows, computed once from the cell results; no I/O. */
export interface ReportContent {
  readonly inventory: StudyInventory;
  /** Imbalance protocol, every family (random included). */
  readonly accuracy: readonly AccuracyRow[];
  readonly toy: readonly AccuracyRow[];
  /** Semi-synthetic protocol, every arm. */
  readonly semiSynthetic: readonly AccuracyRow[];
  /** rwSAM protocol rows (their profile set). */
  readonly rwsam: readonly AccuracyRow[];
  readonly deltas: readonly DeltaRow[];
  readonly comparisons: readonly Comparison[];
  readonly floor: ReadonlyMap<string, SeedStats>;
  readonly classCounts: readonly ClassCountGroup[];
  readonly perClass: readonly PerClassRow[];
  readonly failed: readonly CellResult[];
  readonly notes: readonly string[];
}

/**
 * Cells sorted by id (then start time) first: the means sum in that order, so
 * the same results give byte-identical tables and figures whatever order the
 * files were read in.
 */
export function reportContent(results: readonly CellResult[]): ReportContent {
  const { kept, dropped } = finiteMetrics(results);
  const sorted = [...kept].sort((a, b) => a.cell.id.localeCompare(b.cell.id) || String(a.startedAt).localeCompare(String(b.startedAt)));
  const rows = accuracyRows(sorted);
  const deltas = deltaRows(sorted);
  const floor = randomFloor(sorted);
  const metricOrder = sortMetrics(deltas.map((d) => d.metric));
  return {
    inventory: studyInventory(sorted),
    accuracy: rows.filter((r) => r.protocol === 'imbalance'),
    toy: rows.filter((r) => r.protocol === 'toy'),
    semiSynthetic: rows.filter((r) => r.protocol === 'semi-synthetic'),
    rwsam: rows.filter((r) => r.protocol === 'rwsam'),
    deltas,
    comparisons: compareDeltas(deltas).sort((a, b) => metricOrder.indexOf(a.metric) - metricOrder.indexOf(b.metric) || a.n - b.n || b.r - a.r || a.ssl.method.localeCompare(b.ssl.method) || a.sl.method.localeCompare(b.sl.method)),
    floor,
    classCounts: classCountGroups(sorted),
    perClass: perClassRows(sorted),
    failed: sorted.filter((r) => r.status !== 'done'),
    notes: [...(dropped.length > 0 ? [`Left out ${dropped.length === 1 ? 'a metric value that is' : `${dropped.length} metric values that are`} not a finite number: ${dropped.join('; ')}.`] : []), ...missingNotes(sorted, deltas, floor)],
  };
}

/**
 * A NaN or infinite metric (a diverged probe, a hand-edited file) would turn
 * every mean it enters into NaN; it is left out of the cell and named in the
 * report instead.
 */
function finiteMetrics(results: readonly CellResult[]): { kept: CellResult[]; dropped: string[] } {
  const dropped: string[] = [];
  const kept = results.map((r) => {
    const bad = Object.entries(r.metrics).filter(([, v]) => typeof v !== 'number' || !Number.isFinite(v));
    if (bad.length === 0) return r;
    dropped.push(...bad.map(([m, v]) => `${r.cell.id} ${m} (${String(v)})`));
    return { ...r, metrics: Object.fromEntries(Object.entries(r.metrics).filter(([, v]) => typeof v === 'number' && Number.isFinite(v))) };
  });
  return { kept, dropped };
}
