import { buildFeatureProgram } from '../../eval/feature-program.js';
import type { CellResult, CellSpec } from '../cell.js';
import { evaluateEncoder } from '../cell-evaluation.js';
import { pretrainCell, type CellContext, type CellTraining } from '../cell-pretrain.js';
import { doneCellResult, studyDataRecord } from '../cell-result.js';
import { RunClock } from '../../train/run-clock.js';
import { RWSAM_KNN_K, type RwsamConfig, type RwsamVariant } from './rwsam-config.js';

/** How a variant trains: SimSiam, with SAM, with rwSAM's KDE or label weights. */
function training(variant: RwsamVariant, profile: 'exp' | 'step', c: RwsamConfig): CellTraining {
  const sam = { rho: c.sam.rho, adaptive: c.sam.adaptive, eta: c.sam.eta };
  const w = c.weighting;
  return {
    method: 'simsiam',
    methodOptions: c.simsiam,
    profile,
    encoder: c.encoder,
    epochs: c.pretrain.epochs,
    batch: c.pretrain.batch,
    checkpointEvery: c.pretrain.checkpointEvery,
    ...(c.pretrain.baseLr ? { baseLr: c.pretrain.baseLr } : {}),
    ...(variant === 'simsiam-sam' ? { sam: { ...sam, reweighted: false } } : {}),
    ...(variant === 'simsiam-rwsam'
      ? { sam: { ...sam, reweighted: true }, weighting: { kind: 'kde' as const, refreshEvery: w.refreshEvery, kde: { referenceSize: w.referenceSize, bandwidth: w.bandwidth, temperature: w.temperature } } }
      : {}),
    ...(variant === 'simsiam-rwsam-label' ? { sam: { ...sam, reweighted: true }, weighting: { kind: 'label' as const, base: w.labelBase } } : {}),
  };
}

/** One rwSAM cell: pre-train the variant on its subset, then evaluate the frozen encoder on balanced data. */
export async function runRwsamCell(cell: CellSpec, config: RwsamConfig, ctx: CellContext): Promise<CellResult> {
  const clock = ctx.clock ?? new RunClock();
  const profile = cell.profile ?? 'exp';
  const done = await pretrainCell(cell, training(cell.method as RwsamVariant, profile, config), ctx);
  try {
    const train = ctx.data.train;
    const featurizer = await ctx.driver.compile(buildFeatureProgram(done.encoder, 256, train.height, train.width), { shareState: done.executable });
    try {
      const probe = { kind: 'cached' as const, epochs: config.probe.epochs, fewShot: config.probe.fewShot, oodPerClass: config.probe.oodPerClass, knnK: RWSAM_KNN_K };
      const { metrics, perClass } = await evaluateEncoder(ctx.driver, featurizer, done.encoder, ctx.data, ctx.ood, probe, cell.seed, ctx.timing, ctx.progress);
      return doneCellResult(cell, ctx, clock, { metrics, perClass, counts: done.counts, epochs: done.epochs, data: studyDataRecord(ctx) });
    } finally {
      featurizer.dispose();
    }
  } finally {
    done.executable.dispose();
  }
}
