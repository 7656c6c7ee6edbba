import { seedStats, type SeedStats } from '../study/aggregate.js';
import type { CellResult } from '../study/cell.js';

/**
 * The random-init encoder's accuracy per metric, over all its finished cells
 * of the imbalance protocol. deltaRows measures every gain from this floor
 * whatever n the random cell was planned at (an untrained encoder has seen no
 * data), so the figures draw it as one level per metric, not a curve over n.
 */
export function randomFloor(results: readonly CellResult[]): Map<string, SeedStats> {
  const values = new Map<string, number[]>();
  for (const r of results) {
    if (r.status !== 'done' || r.cell.protocol !== 'imbalance' || r.cell.family !== 'random') continue;
    for (const [metric, value] of Object.entries(r.metrics)) values.set(metric, [...(values.get(metric) ?? []), value]);
  }
  return new Map([...values].map(([metric, v]) => [metric, seedStats(v)]));
}
