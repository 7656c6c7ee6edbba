import type { CellSpec } from '../cell.js';
import type { RwsamConfig } from './rwsam-config.js';

/**
 * The cells of an rwSAM sweep: every variant x profile x seed at n = size;
 * r is the config's ratio, or 1 for the balanced variant. Ids carry the
 * profile: 'rwsam_simsiam-rwsam_step_n1800_r0.01_s0'.
 */
export function rwsamCells(config: RwsamConfig): CellSpec[] {
  const cells: CellSpec[] = [];
  for (let seed = 0; seed < config.seeds; seed++) {
    for (const profile of config.profiles) {
      for (const variant of config.variants) {
        const r = variant === 'simsiam-balanced' ? 1 : config.ratio;
        const id = `rwsam_${variant}_${profile}_n${config.size}_r${r}_s${seed}`.replace(/[^A-Za-z0-9._-]/g, '-');
        cells.push({ id, protocol: 'rwsam', method: variant, family: 'ssl', n: config.size, r, seed, profile });
      }
    }
  }
  return cells;
}
