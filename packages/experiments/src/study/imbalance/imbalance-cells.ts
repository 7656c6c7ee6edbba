import type { CellSpec } from '../cell.js';
import { cellId } from '../cell-id.js';
import { armMethod, imbalanceArm } from './imbalance-arms.js';
import type { ImbalanceConfig } from './imbalance-config.js';

/**
 * The cells of an imbalance sweep: every method at every n and r, for each
 * seed, and (when asked) one random-init cell per seed at the largest n and
 * r = 1, the floor the gains are measured from. Ordered so that the cells of
 * one seed finish together: a partial sweep already has whole Delta values.
 */
export function imbalanceCells(config: ImbalanceConfig): CellSpec[] {
  const cells: CellSpec[] = [];
  for (let seed = 0; seed < config.seeds; seed++) {
    if (config.randomInit) cells.push({ id: cellId('imbalance', 'random', Math.max(...config.sizes), 1, seed), protocol: 'imbalance', method: 'random', family: 'random', n: Math.max(...config.sizes), r: 1, seed });
    for (const n of config.sizes) {
      for (const method of config.methods) {
        // A method that trains on labels is the SL arm (supervised, SupCon); one that does not is SSL. A variant is its method's.
        const family = armMethod(imbalanceArm(config, method)).usesLabels ? 'sl' : 'ssl';
        for (const r of [...config.ratios].sort((a, b) => b - a)) cells.push({ id: cellId('imbalance', method, n, r, seed), protocol: 'imbalance', method, family, n, r, seed });
      }
    }
  }
  return cells;
}
