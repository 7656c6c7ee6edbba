import { join } from 'node:path';
import type { DeviceInfo, Driver, Executable } from '@ltssl/core';
import { probeAugmentation, simsiamAugmentation } from '../data/augment/presets.js';
import type { LoadedDataset } from '../data/datasets.js';
import { classCounts } from '../data/long-tail/class-counts.js';
import type { ImbalanceProfile } from '../data/long-tail/imbalance-profile.js';
import { sampleLongTail } from '../data/long-tail/sample-long-tail.js';
import type { SamOptions } from '../methods/sam.js';
import type { MethodName } from '../methods/method.js';
import { createMethod, type MethodOptions } from '../methods/registry.js';
import type { EncoderSpec } from '../models/encoder.js';
import { directoryCheckpointStore } from '../train/directory-checkpoint-store.js';
import { pretrain, type EpochMetrics, type PretrainConfig, type PretrainProgress } from '../train/pretrain.js';
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
  readonly progress?: PretrainProgress;
}

/** How a cell pre-trains: the method and its options, the subset, the schedule, SAM. */
export interface CellTraining {
  readonly method: MethodName;
  readonly methodOptions: MethodOptions;
  readonly profile: ImbalanceProfile;
  readonly encoder: { readonly arch: EncoderSpec['arch']; readonly width: number };
  readonly epochs: number;
  readonly batch: number;
  /** Base learning rate (x batch / 256); default: the method's. */
  readonly baseLr?: number;
  readonly checkpointEvery: number;
  readonly sam?: SamOptions;
  readonly weighting?: PretrainConfig['weighting'];
}

/**
 * A cell's long-tailed subset (n, r, profile, seed: the same seed gives every
 * method the same images), and its pre-training with checkpoints under
 * checkpoints/<cell id>/ (resumed when present). The caller disposes the
 * returned executable, which holds the trained encoder's state.
 */
export async function pretrainCell(cell: CellSpec, t: CellTraining, ctx: CellContext): Promise<{ executable: Executable; epochs: readonly EpochMetrics[]; counts: number[]; encoder: EncoderSpec }> {
  const train = ctx.data.train;
  const counts = classCounts({ profile: t.profile, ratio: cell.r, classes: train.classes, total: cell.n });
  const subset = sampleLongTail(train, counts, cell.seed);
  const encoder = { ...t.encoder, inChannels: train.channels };
  const method = createMethod(t.method, t.methodOptions);
  const lr = (t.baseLr ?? method.defaults.baseLr) * (t.batch / 256);
  const result = await pretrain(
    ctx.driver,
    {
      method,
      encoder,
      set: train,
      indices: subset.indices,
      normalization: ctx.data.normalization,
      augmentation: method.views === 2 ? simsiamAugmentation(ctx.data.normalization) : probeAugmentation(ctx.data.normalization),
      epochs: t.epochs,
      batch: t.batch,
      lr,
      momentum: method.defaults.momentum,
      weightDecay: method.defaults.weightDecay,
      seed: cell.seed,
      checkpoints: {
        store: directoryCheckpointStore(join(ctx.studyDir, STUDY_FILES.checkpoints, cell.id), { method: t.method, seed: cell.seed, encoder, normalization: ctx.data.normalization, dataset: ctx.data.name, configHash: ctx.configHash }),
        every: t.checkpointEvery,
      },
      ...(t.sam ? { sam: t.sam } : {}),
      ...(t.weighting ? { weighting: t.weighting } : {}),
    },
    ctx.progress,
  );
  return { executable: result.executable, epochs: result.history, counts, encoder };
}
