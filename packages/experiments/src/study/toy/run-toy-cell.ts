import type { Driver, Executable } from '@ltssl/core';
import { toyGaussians } from '../../data/toy/toy-gaussians.js';
import type { Accuracy } from '../../eval/accuracy.js';
import { linearProbeCached } from '../../eval/linear-probe.js';
import type { EpochMetrics } from '../../train/pretrain.js';
import type { CellSpec } from '../cell.js';
import { TOY_ARMS } from './toy-cells.js';
import { toyClassCounts, type ToyArm, type ToyConfig } from './toy-config.js';
import { toyFeatures, TOY_WEIGHT_SLOT } from './toy-encoder.js';
import type { ToyTraining } from './toy-history.js';
import { e2Measures, predictedSslE2Ratio } from './toy-measures.js';
import { trainToySl } from './toy-sl.js';
import { trainToySsl } from './toy-ssl.js';

/** Which independent draws of a seed the probe uses (the training set is draw 0). */
export const TOY_PROBE_DRAWS = { train: 1, test: 2 } as const;

/**
 * What a toy cell computed: the parts of a CellResult that depend on the work
 * (the caller adds the cell, config hash, times, memory and environment).
 *
 * metrics (all scale-free):
 * - 'toy.e2Ratio'  ||W e2|| / ||W e1|| (toy-measures.ts)
 * - 'toy.e2Share'  ||W e2||^2 / ||W||_F^2
 * - 'toy.probe'    few-shot probe top-1 on the balanced test set
 * - 'toy.rare'     the same probe's accuracy on the rare class
 * - 'toy.trainLoss' the arm's loss at its last step
 * - SL only: 'toy.minMargin' (about 1: the margin-1 regime was reached), 'toy.trainAccuracy'
 * - SSL only: 'toy.e2RatioTheory', the e2 ratio the SSL optimum predicts for this training mix
 */
export interface ToyCellOutcome {
  readonly metrics: Readonly<Record<string, number>>;
  /** 'toy.probe': accuracy per class [class 1, class 2, rare class 3]. */
  readonly perClass: Readonly<Record<string, readonly number[]>>;
  /** Training examples per class [N, N, floor(N r)]. */
  readonly classCounts: readonly number[];
  /** Ten windows of the arm's training (epoch = passes over the training set). */
  readonly epochs: readonly EpochMetrics[];
  readonly data: { readonly inDomain: string };
}

/** The cell's arm, checked against the cell and the config. */
function armOf(cell: CellSpec, config: ToyConfig): ToyArm {
  if (cell.protocol !== 'toy') throw new Error(`cell ${cell.id} is of protocol '${cell.protocol}'; runToyCell runs 'toy' cells only`);
  const arm = cell.method as ToyArm;
  if (!(arm in TOY_ARMS)) throw new Error(`cell ${cell.id}: unknown toy arm '${cell.method}'; the arms are ${Object.keys(TOY_ARMS).join(', ')}`);
  if (TOY_ARMS[arm] !== cell.family) throw new Error(`cell ${cell.id}: arm '${arm}' is of family '${TOY_ARMS[arm]}', the cell says '${cell.family}'`);
  const counts = toyClassCounts(config, cell.r);
  const n = counts[0] + counts[1] + counts[2];
  if (n !== cell.n) throw new Error(`cell ${cell.id} has n = ${cell.n}, but this toy config gives n = ${n} at r = ${cell.r} (N = ${config.frequentCount}); the cell belongs to another configuration: plan it again with toyCells`);
  return arm;
}

/**
 * The few-shot linear probe on the frozen representation W x (the study's one
 * linear probe, in the toy's form): trained on `shotsPerClass` labelled
 * examples of each class (a fresh draw, balanced), tested on `testPerClass` of
 * each (another draw). Full-batch steps in a fixed order, SGD without
 * momentum, a bias-free head from zero: no bias because the toy's classes are
 * linear through the origin, as in the paper, and a bias would let the probe
 * find the rare class between the frequent ones on e1 alone (it sits at
 * e1 = 0), hiding whether W kept e2. Features are divided by one number, their
 * RMS over the probe's train set, so one learning rate fits both arms (SL's W
 * and SSL's differ in scale) without reweighting directions: a per-dimension
 * standardisation would blow up a direction W barely kept, and the measure is
 * how much of e2 W kept.
 */
async function toyProbe(driver: Driver, trained: Executable, config: ToyConfig, seed: number): Promise<Accuracy> {
  const shape = { dim: config.dim, width: config.width };
  const { shotsPerClass: k, testPerClass: t, steps, lr, weightDecay } = config.probe;
  const model = { dim: config.dim, tau: config.tau, rho: config.rho, seed };
  const train = await toyFeatures(driver, trained, shape, toyGaussians({ ...model, counts: [k, k, k], draw: TOY_PROBE_DRAWS.train }));
  const test = await toyFeatures(driver, trained, shape, toyGaussians({ ...model, counts: [t, t, t], draw: TOY_PROBE_DRAWS.test }));
  return linearProbeCached(driver, train, test, { classes: 3, epochs: steps, batch: train.count, lr, momentum: 0, weightDecay, seed, scaling: 'rms', shuffle: false, head: { bias: false, zeroInit: true } });
}

/**
 * One toy cell: draw the imbalanced training set of (r, seed), train the
 * cell's arm, then measure what its W kept: the e2 measures from W itself
 * and the few-shot probe's accuracies (overall and on the rare class).
 */
export async function runToyCell(driver: Driver, cell: CellSpec, config: ToyConfig): Promise<ToyCellOutcome> {
  const arm = armOf(cell, config);
  const classCounts = toyClassCounts(config, cell.r);
  const data = toyGaussians({ dim: config.dim, tau: config.tau, rho: config.rho, counts: classCounts, seed: cell.seed, draw: 0 });
  const { executable, training }: { executable: Executable; training: ToyTraining } = arm === 'toy-sl' ? await trainToySl(driver, config, data, cell.seed) : await trainToySsl(driver, config, data, cell.seed);
  try {
    const weight = (await executable.readState([TOY_WEIGHT_SLOT]))[TOY_WEIGHT_SLOT]!;
    const measures = e2Measures(weight.data, config.width, config.dim);
    const probe = await toyProbe(driver, executable, config, cell.seed);
    const metrics: Record<string, number> = {
      'toy.e2Ratio': measures.e2Ratio,
      'toy.e2Share': measures.e2Share,
      'toy.probe': probe.top1,
      'toy.rare': probe.perClass[2]!,
      'toy.trainLoss': training.last['loss']!,
    };
    if (arm === 'toy-sl') {
      metrics['toy.minMargin'] = training.last['minMargin']!;
      metrics['toy.trainAccuracy'] = training.last['trainAccuracy']!;
    } else {
      metrics['toy.e2RatioTheory'] = predictedSslE2Ratio(config, classCounts);
    }
    return {
      metrics,
      perClass: { 'toy.probe': probe.perClass },
      classCounts,
      epochs: training.history,
      data: { inDomain: `toy-gaussians(d=${config.dim}, tau=${config.tau}, rho=${config.rho})` },
    };
  } finally {
    executable.dispose();
  }
}
