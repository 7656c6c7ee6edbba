import { createMethod } from '../../methods/registry.js';
import type { MethodName } from '../../methods/method.js';
import type { CellSpec, MethodFamily } from '../cell.js';
import { cellId } from '../cell-id.js';
import { armRatio, armTrainSize, type SemiSyntheticArm, type SemiSyntheticConfig } from './semi-synthetic-config.js';

/**
 * How the report groups an arm: a pre-training method by whether it trains
 * on labels (SimCLR: SSL; supervised: SL), supervised-rare as SL (method
 * 'supervised-rare'), the random-init encoder as 'random'.
 */
export function semiSyntheticFamily(config: SemiSyntheticConfig, arm: SemiSyntheticArm): MethodFamily {
  if (arm === 'random') return 'random';
  if (arm === 'supervised-rare') return 'sl';
  return createMethod(arm as MethodName, config.methodOptions[arm as MethodName] ?? {}).usesLabels ? 'sl' : 'ssl';
}

/**
 * The cells of a semi-synthetic sweep: every arm for each seed, seed by seed,
 * so a partial sweep already holds whole comparisons. n is the arm's
 * pre-training set (0 for random init) and r its imbalance ratio; ids read
 * 'semi-synthetic_simclr_n5050_r0.01_s0'.
 */
export function semiSyntheticCells(config: SemiSyntheticConfig): CellSpec[] {
  const cells: CellSpec[] = [];
  for (let seed = 0; seed < config.seeds; seed++) {
    for (const arm of config.arms) {
      const n = armTrainSize(config, arm);
      const r = armRatio(config, arm);
      cells.push({ id: cellId('semi-synthetic', arm, n, r, seed), protocol: 'semi-synthetic', method: arm, family: semiSyntheticFamily(config, arm), n, r, seed });
    }
  }
  return cells;
}
