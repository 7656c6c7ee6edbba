import type { CellSpec } from '../cell.js';
import { cellId } from '../cell-id.js';
import type { RwsamConfig } from './rwsam-config.js';

/**
 * The cells of an rwSAM sweep at n = size: every imbalanced variant x profile
 * x seed at the config's ratio, ids carrying the profile
 * ('rwsam_simsiam-rwsam_step_n1800_r0.01_s0'); and SimSiam on balanced data
 * once per seed, without a profile ('rwsam_simsiam-balanced_n1800_r1_s0'):
 * at r = 1 every profile is the same uniform split, so one cell is the bar
 * for all of them (the report draws it in each profile's panel).
 */
export function rwsamCells(config: RwsamConfig): CellSpec[] {
  const cells: CellSpec[] = [];
  for (let seed = 0; seed < config.seeds; seed++) {
    for (const profile of config.profiles) {
      for (const variant of config.variants) {
        if (variant === 'simsiam-balanced') continue;
        const r = config.ratio;
        cells.push({ id: cellId('rwsam', variant, config.size, r, seed, profile), protocol: 'rwsam', method: variant, family: 'ssl', n: config.size, r, seed, profile });
      }
    }
    if (config.variants.includes('simsiam-balanced')) {
      cells.push({ id: cellId('rwsam', 'simsiam-balanced', config.size, 1, seed), protocol: 'rwsam', method: 'simsiam-balanced', family: 'ssl', n: config.size, r: 1, seed });
    }
  }
  return cells;
}
