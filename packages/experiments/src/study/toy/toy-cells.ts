import type { CellSpec, MethodFamily } from '../cell.js';
import { cellId } from '../cell-id.js';
import { toyTrainSize, type ToyArm, type ToyConfig } from './toy-config.js';

/** The toy arms and how the report groups them. */
export const TOY_ARMS: Readonly<Record<ToyArm, MethodFamily>> = { 'toy-ssl': 'ssl', 'toy-sl': 'sl' };

/**
 * The cells of a toy sweep: every arm at every rare ratio, for each seed, with
 * n the training set size 2N + floor(N r). Ids read
 * 'toy_toy-ssl_n201_r0.01_s0'. Ordered seed by seed, each ratio's arms
 * together, so a partial sweep already holds whole SSL-vs-SL pairs.
 */
export function toyCells(config: ToyConfig): CellSpec[] {
  const cells: CellSpec[] = [];
  for (let seed = 0; seed < config.seeds; seed++) {
    for (const r of [...config.ratios].sort((a, b) => b - a)) {
      const n = toyTrainSize(config, r);
      for (const method of config.arms) cells.push({ id: cellId('toy', method, n, r, seed), protocol: 'toy', method, family: TOY_ARMS[method], n, r, seed });
    }
  }
  return cells;
}
