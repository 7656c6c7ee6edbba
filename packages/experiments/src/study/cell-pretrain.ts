import { join } from 'node:path';
import type { DeviceInfo, Driver, Executable } from '@ltssl/core';
import { augmentWorkerCount } from '../data/augment/augment-pool.js';
import { probeAugmentation, simsiamAugmentation } from '../data/augment/presets.js';
import type { AugmentationConfig } from '../data/augment/pipeline.js';
import type { LoadedDataset } from '../data/datasets.js';
import type { ImageSet } from '../data/image-set.js';
import { classCounts } from '../data/long-tail/class-counts.js';
import type { ImbalanceProfile } from '../data/long-tail/imbalance-profile.js';
import { sampleLongTail } from '../data/long-tail/sample-long-tail.js';
import { subsetClassCounts, type PretrainSubsets } from '../data/subset-file.js';
import type { Normalization } from '../data/normalization.js';
import type { SamOptions } from '../methods/sam.js';
import type { MethodName } from '../methods/method.js';
import { createMethod, type MethodOptions } from '../methods/registry.js';
import type { EncoderSpec } from '../models/encoder.js';
import { directoryCheckpointStore } from '../train/directory-checkpoint-store.js';
import type { PhaseTimer } from '../train/phase-timer.js';
import { pretrain, type EpochMetrics, type PretrainConfig, type PretrainProgress } from '../train/pretrain.js';
import type { PhaseProgress } from '../train/phase-progress.js';
import type { RunClock } from '../train/run-clock.js';
import type { CellSpec } from './cell.js';
import { STUDY_FILES } from './cell-files.js';

/** What every pre-training protocol's cell needs besides its own settings. */
export interface CellContext {
  readonly driver: Driver;
  readonly info: DeviceInfo;
  readonly data: LoadedDataset;
  readonly ood?: LoadedDataset;
  readonly studyDir: string;
  readonly configHash: string;
  /** Pre-training subsets by r from a --subset-file, used instead of drawing them. */
  readonly subsets?: PretrainSubsets;
  /** Pre-training's steps (and resume), then the evaluation's phases (features, probes, kNN, fine-tuning). */
  readonly progress?: PretrainProgress & PhaseProgress;
  /** A benchmark's timer of the cell's phases (tools/bench/cell.mjs); absent in a study run. */
  readonly timing?: PhaseTimer;
  /** Augmentation worker threads; default augmentWorkerCount(info), the cores the engine leaves. */
  readonly augmentWorkers?: number;
  /** The cell's time across processes: a resumed cell takes its first start and seconds from its checkpoint (absent: this process's time). */
  readonly clock?: RunClock;
  /** Stops the cell at the end of a step (a signal, a lost lease), with a checkpoint to resume from. */
  readonly signal?: AbortSignal;
}

/** How a cell pre-trains: the method and its options, the encoder, the schedule, SAM. */
export interface PretrainSettings {
  readonly method: MethodName;
  readonly methodOptions: MethodOptions;
  readonly encoder: { readonly arch: EncoderSpec['arch']; readonly width: number };
  readonly epochs: number;
  readonly batch: number;
  /** Base learning rate (x batch / 256); default: the method's. */
  readonly baseLr?: number;
  readonly checkpointEvery: number;
  readonly sam?: SamOptions;
  readonly weighting?: PretrainConfig['weighting'];
}

/** A long-tail protocol's pre-training: the settings and the imbalance profile of the cell's subset. */
export interface CellTraining extends PretrainSettings {
  readonly profile: ImbalanceProfile;
}

/** What a cell pre-trains on: rows of a set, and the augmentation a method of `views` views gets. */
export interface CellTrainingSet {
  readonly set: ImageSet;
  readonly indices: ArrayLike<number>;
  /** Default: SimSiam's CIFAR set for two-view methods, crop 0.8-1 and flip for one-view ones. */
  readonly augmentation?: (views: 1 | 2, normalization: Normalization) => AugmentationConfig;
}

/**
 * Pre-trains a cell's encoder on `on` with checkpoints under
 * checkpoints/<cell id>/ (resumed when present): the one pre-training call
 * of every protocol's cells. The caller disposes the returned executable,
 * which holds the trained encoder's state.
 */
export async function pretrainOn(cell: CellSpec, t: PretrainSettings, on: CellTrainingSet, ctx: CellContext): Promise<{ executable: Executable; epochs: readonly EpochMetrics[]; encoder: EncoderSpec }> {
  const encoder = { ...t.encoder, inChannels: on.set.channels };
  const method = createMethod(t.method, t.methodOptions);
  const lr = (t.baseLr ?? method.defaults.baseLr) * (t.batch / 256);
  const normalization = ctx.data.normalization;
  const augment = on.augmentation ?? ((views, n) => (views === 2 ? simsiamAugmentation(n) : probeAugmentation(n)));
  const result = await pretrain(
    ctx.driver,
    {
      method,
      encoder,
      set: on.set,
      indices: on.indices,
      normalization,
      augmentation: augment(method.views, normalization),
      epochs: t.epochs,
      batch: t.batch,
      lr,
      momentum: method.defaults.momentum,
      weightDecay: method.defaults.weightDecay,
      seed: cell.seed,
      checkpoints: {
        store: directoryCheckpointStore(join(ctx.studyDir, STUDY_FILES.checkpoints, cell.id), { method: t.method, seed: cell.seed, encoder, normalization, dataset: ctx.data.name, configHash: ctx.configHash }),
        every: t.checkpointEvery,
      },
      ...(t.sam ? { sam: t.sam } : {}),
      ...(t.weighting ? { weighting: t.weighting } : {}),
      ...(ctx.timing ? { timing: ctx.timing } : {}),
      augmentWorkers: ctx.augmentWorkers ?? augmentWorkerCount(ctx.info),
      ...(ctx.clock ? { clock: ctx.clock } : {}),
      ...(ctx.signal ? { signal: ctx.signal } : {}),
    },
    ctx.progress,
  );
  return { executable: result.executable, epochs: result.history, encoder };
}

/**
 * A cell's long-tailed subset (n, r, profile, seed: the same seed gives every
 * method the same images), or the subset of r the subset file gives (the
 * same for every seed), pre-trained by `pretrainOn`.
 */
export async function pretrainCell(cell: CellSpec, t: CellTraining, ctx: CellContext): Promise<{ executable: Executable; epochs: readonly EpochMetrics[]; counts: number[]; encoder: EncoderSpec }> {
  const train = ctx.data.train;
  const given = ctx.subsets?.get(cell.r);
  if (ctx.subsets && !given) throw new Error(`pretrainCell: the subset file has no subset for r = ${cell.r}`);
  const counts = given ? subsetClassCounts(train, given.indices) : classCounts({ profile: t.profile, ratio: cell.r, classes: train.classes, total: cell.n });
  const indices = given ? given.indices : sampleLongTail(train, counts, cell.seed).indices;
  return { ...(await pretrainOn(cell, t, { set: train, indices }, ctx)), counts };
}
