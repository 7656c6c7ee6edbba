import type { Executable } from '@ltssl/core';
import { classCounts } from '../../data/long-tail/class-counts.js';
import { buildFeatureProgram } from '../../eval/feature-program.js';
import type { CellResult, CellSpec } from '../cell.js';
import { evaluateEncoder } from '../cell-evaluation.js';
import { pretrainCell, type CellContext } from '../cell-pretrain.js';
import { doneCellResult, studyDataRecord } from '../cell-result.js';
import { RunClock } from '../../train/run-clock.js';
import { timed } from '../../train/phase-timer.js';
import { imbalanceArm } from './imbalance-arms.js';
import type { ImbalanceConfig } from './imbalance-config.js';

export type ImbalanceCellContext = CellContext;

/**
 * One cell of the imbalance protocol: pre-train on the cell's long-tailed
 * subset (checkpointed, resumable) unless the cell is the random-init floor,
 * then evaluate the frozen encoder in and out of domain.
 */
export async function runImbalanceCell(cell: CellSpec, config: ImbalanceConfig, ctx: CellContext): Promise<CellResult> {
  const clock = ctx.clock ?? new RunClock();
  const train = ctx.data.train;
  let trained: Executable | undefined;
  try {
    let encoder = { ...config.encoder, inChannels: train.channels };
    let counts = classCounts({ profile: config.profile, ratio: cell.r, classes: train.classes, total: cell.n });
    let epochs;
    if (cell.family !== 'random') {
      const arm = imbalanceArm(config, cell.method);
      const baseLr = config.pretrain.baseLr[arm.method];
      const done = await pretrainCell(
        cell,
        { method: arm.method, methodOptions: arm.options, profile: config.profile, encoder: config.encoder, epochs: config.pretrain.epochs, batch: config.pretrain.batch, checkpointEvery: config.pretrain.checkpointEvery, ...(baseLr ? { baseLr } : {}) },
        ctx,
      );
      trained = done.executable;
      ({ encoder, counts, epochs } = done);
    }
    // The random-init floor holds its own seed's initialisation (the one that seed's training starts from), so its spread over seeds is the init's, not the probe's alone.
    const program = buildFeatureProgram(encoder, 256, train.height, train.width, cell.seed);
    const featurizer = await timed(ctx.timing, 'compile', () => (trained ? ctx.driver.compile(program, { shareState: trained }) : ctx.driver.compile(program)));
    try {
      const probe = { kind: config.probe.kind, epochs: config.probe.epochs, fewShot: config.probe.fewShot, oodPerClass: config.probe.oodPerClass, knnK: config.knn.k, ood: { kind: config.probe.ood, epochs: config.probe.oodEpochs } };
      const { metrics, perClass } = await evaluateEncoder(ctx.driver, featurizer, encoder, ctx.data, ctx.ood, probe, cell.seed, ctx.timing, ctx.progress);
      return doneCellResult(cell, ctx, clock, { metrics, perClass, counts, ...(epochs ? { epochs } : {}), data: studyDataRecord(ctx, cell) });
    } finally {
      featurizer.dispose();
    }
  } finally {
    trained?.dispose();
  }
}
