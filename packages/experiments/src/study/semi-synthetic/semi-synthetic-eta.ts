import type { Driver } from '@ltssl/core';
import { buildFeatureProgram } from '../../eval/feature-program.js';
import type { MethodName } from '../../methods/method.js';
import { createMethod } from '../../methods/registry.js';
import { buildTrainStep } from '../../methods/train-step.js';
import type { CellSpec } from '../cell.js';
import { secondsPerRun, type OnMeasure } from '../measure-program.js';
import type { SemiSyntheticConfig } from './semi-synthetic-config.js';

/**
 * A sweep's time on this driver, measured rather than guessed: a few
 * training steps of each method at the composite's size and a few
 * feature-extraction batches are timed, then scaled by each cell's epochs and
 * steps and by the images it evaluates (probe sets and test composites, once
 * for features; Grad-CAM's forward and backward counted as three passes).
 */
export async function estimateSemiSyntheticSeconds(
  driver: Driver,
  config: SemiSyntheticConfig,
  cells: readonly CellSpec[],
  image: { readonly channels: number; readonly height: number; readonly width: number },
  onMeasure?: OnMeasure,
): Promise<number> {
  const encoder = { arch: config.encoder.arch, width: config.encoder.width, inChannels: image.channels };
  const F = config.frequentSources.length;
  const R = config.rareSources.length;
  const stepSeconds = new Map<string, number>();
  const plan = (cell: CellSpec): { method: MethodName; batch: number; steps: number } | undefined => {
    if (cell.method === 'random') return undefined;
    if (cell.method === 'supervised-rare') {
      const batch = Math.min(config.supervisedRare.batch, R * config.rareCount);
      return { method: 'supervised', batch, steps: config.supervisedRare.epochs * Math.floor((R * config.rareCount) / batch) };
    }
    return { method: cell.method as MethodName, batch: config.pretrain.batch, steps: config.pretrain.epochs * Math.floor(cell.n / config.pretrain.batch) };
  };
  for (const cell of cells) {
    const p = plan(cell);
    const key = `${p?.method}@${p?.batch}`;
    if (!p || stepSeconds.has(key)) continue;
    const method = createMethod(p.method, config.methodOptions[p.method] ?? {});
    const classes = cell.method === 'supervised-rare' ? R : F + R;
    onMeasure?.(`${p.method} step at batch ${p.batch}`);
    stepSeconds.set(key, await secondsPerRun(driver, buildTrainStep(method, { encoder, shape: { batch: p.batch, channels: image.channels, height: image.height, width: image.width, classes }, seed: 0, momentum: 0.9, weightDecay: 0 })));
  }
  onMeasure?.('feature extraction at batch 256');
  const batchSeconds = await secondsPerRun(driver, buildFeatureProgram(encoder, 256, image.height, image.width));
  const evalImages = R * config.probe.perClass + F * config.probe.frequentPerClass + (F + R) * config.probe.testPerClass + 3 * (F + R) * config.gradCam.perClass;
  const evalSeconds = (evalImages / 256) * batchSeconds;
  return cells.reduce((total, cell) => {
    const p = plan(cell);
    return total + (p ? p.steps * stepSeconds.get(`${p.method}@${p.batch}`)! : 0) + evalSeconds;
  }, 0);
}
