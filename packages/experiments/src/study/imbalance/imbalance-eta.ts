import type { Driver } from '@ltssl/core';
import { buildFeatureProgram } from '../../eval/feature-program.js';
import { buildTrainStep } from '../../methods/train-step.js';
import type { CellSpec } from '../cell.js';
import { secondsPerRun, type OnMeasure } from '../measure-program.js';
import { armMethod, imbalanceArm } from './imbalance-arms.js';
import type { ImbalanceConfig } from './imbalance-config.js';

/**
 * An estimate of a sweep's time on this driver, measured rather than guessed:
 * a few training steps of each method and a few feature-extraction batches are
 * timed, then scaled by the epochs, steps and images each cell has. Probe
 * heads on cached features are small next to these and counted as one more
 * extraction pass.
 */
export async function estimateImbalanceSeconds(
  driver: Driver,
  config: ImbalanceConfig,
  cells: readonly CellSpec[],
  image: { channels: number; height: number; width: number; classes: number; testCount: number; probeTrainCount: number; oodCount: number },
  onMeasure?: OnMeasure,
): Promise<number> {
  const encoder = { arch: config.encoder.arch, width: config.encoder.width, inChannels: image.channels };
  const stepSeconds = new Map<string, number>();
  for (const name of new Set(cells.filter((c) => c.family !== 'random').map((c) => c.method))) {
    const method = armMethod(imbalanceArm(config, name));
    const program = buildTrainStep(method, { encoder, shape: { batch: config.pretrain.batch, channels: image.channels, height: image.height, width: image.width, classes: image.classes }, seed: 0, momentum: 0.9, weightDecay: 0 });
    onMeasure?.(`${name} step at batch ${config.pretrain.batch}`);
    stepSeconds.set(name, await secondsPerRun(driver, program));
  }
  onMeasure?.('feature extraction at batch 256');
  const batchSeconds = await secondsPerRun(driver, buildFeatureProgram(encoder, 256, image.height, image.width));
  const evalImages = 2 * (image.probeTrainCount + image.testCount) + (config.oodData ? image.oodCount : 0);
  const evalSeconds = (evalImages / 256) * batchSeconds;
  return cells.reduce((total, cell) => {
    const train = cell.family === 'random' ? 0 : config.pretrain.epochs * Math.floor(cell.n / config.pretrain.batch) * stepSeconds.get(cell.method)!;
    return total + train + evalSeconds;
  }, 0);
}
