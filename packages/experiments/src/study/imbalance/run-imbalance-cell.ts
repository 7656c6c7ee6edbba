import { join } from 'node:path';
import type { DeviceInfo, Driver, Executable } from '@ltssl/core';
import { probeAugmentation, simsiamAugmentation } from '../../data/augment/presets.js';
import { classIndex } from '../../data/class-index.js';
import type { LoadedDataset } from '../../data/datasets.js';
import { classCounts } from '../../data/long-tail/class-counts.js';
import { sampleBalanced, sampleLongTail } from '../../data/long-tail/sample-long-tail.js';
import { buildFeatureProgram } from '../../eval/feature-program.js';
import { extractFeatures, type FeatureMatrix } from '../../eval/extract-features.js';
import { knnAccuracy } from '../../eval/knn.js';
import { linearProbeAugmented } from '../../eval/linear-probe-augmented.js';
import { linearProbeCached } from '../../eval/linear-probe.js';
import { createMethod } from '../../methods/registry.js';
import type { MethodName } from '../../methods/method.js';
import { directoryCheckpointStore } from '../../train/directory-checkpoint-store.js';
import { pretrain, type EpochMetrics, type PretrainProgress } from '../../train/pretrain.js';
import type { CellResult, CellSpec } from '../cell.js';
import { STUDY_FILES } from '../cell-files.js';
import { cellEnvironment } from '../environment.js';
import type { ImbalanceConfig } from './imbalance-config.js';

/** What a cell needs besides its spec: the datasets (loaded once per study) and where to checkpoint. */
export interface ImbalanceCellContext {
  readonly driver: Driver;
  readonly info: DeviceInfo;
  readonly data: LoadedDataset;
  readonly ood?: LoadedDataset;
  readonly studyDir: string;
  readonly configHash: string;
  readonly progress?: PretrainProgress;
}

/** Rows of a feature matrix (few-shot subsets of the probe's train features). */
function rowsOf(m: FeatureMatrix, rows: ArrayLike<number>): FeatureMatrix {
  const values = new Float32Array(rows.length * m.dim);
  const labels = new Int32Array(rows.length);
  for (let i = 0; i < rows.length; i++) {
    values.set(m.values.subarray(rows[i]! * m.dim, (rows[i]! + 1) * m.dim), i * m.dim);
    labels[i] = m.labels[rows[i]!]!;
  }
  return { values, labels, count: rows.length, dim: m.dim };
}

/**
 * The tail: the classes the long-tailed profile makes rare, class index >=
 * floor(C / 2) (class 0 is the head). The same classes at every r, r = 1
 * included, so 'id.tail' compares like with like.
 */
function tailAccuracy(perClass: readonly number[]): number {
  const tail = perClass.slice(Math.floor(perClass.length / 2)).filter((a) => Number.isFinite(a));
  return tail.reduce((a, b) => a + b, 0) / tail.length;
}

/**
 * One cell of the imbalance protocol: sample the long-tailed subset (n, r,
 * seed), pre-train (checkpointed, resumable) unless the cell is the
 * random-init floor, then evaluate the frozen encoder: linear probe and kNN on
 * the balanced train split (in domain), few-shot probes, the tail classes'
 * accuracy, and a linear probe out of domain.
 */
export async function runImbalanceCell(cell: CellSpec, config: ImbalanceConfig, ctx: ImbalanceCellContext): Promise<CellResult> {
  const startedAt = new Date();
  const { driver, data } = ctx;
  const train = data.train;
  const counts = classCounts({ profile: config.profile, ratio: cell.r, classes: train.classes, total: cell.n });
  const subset = sampleLongTail(train, counts, cell.seed);
  const encoder = { arch: config.encoder.arch, width: config.encoder.width, inChannels: train.channels };
  const { height, width } = train;
  let trained: Executable | undefined;
  let epochs: readonly EpochMetrics[] = [];
  const features = async (): Promise<Executable> => {
    const program = buildFeatureProgram(encoder, 256, height, width);
    return trained ? driver.compile(program, { shareState: trained }) : driver.compile(program);
  };
  try {
    if (cell.family !== 'random') {
      const name = cell.method as MethodName;
      const method = createMethod(name, config.methodOptions[name] ?? {});
      const lr = (config.pretrain.baseLr[name] ?? method.defaults.baseLr) * (config.pretrain.batch / 256);
      const result = await pretrain(
        driver,
        {
          method,
          encoder,
          set: train,
          indices: subset.indices,
          normalization: data.normalization,
          augmentation: method.views === 2 ? simsiamAugmentation(data.normalization) : probeAugmentation(data.normalization),
          epochs: config.pretrain.epochs,
          batch: config.pretrain.batch,
          lr,
          momentum: method.defaults.momentum,
          weightDecay: method.defaults.weightDecay,
          seed: cell.seed,
          checkpoints: {
            store: directoryCheckpointStore(join(ctx.studyDir, STUDY_FILES.checkpoints, cell.id), { method: name, seed: cell.seed, encoder, normalization: data.normalization, dataset: data.name, configHash: ctx.configHash }),
            every: config.pretrain.checkpointEvery,
          },
        },
        ctx.progress,
      );
      trained = result.executable;
      epochs = result.history;
    }
    const metrics: Record<string, number> = {};
    const perClass: Record<string, readonly number[]> = {};
    const featurizer = await features();
    try {
      // In domain: the probe trains on the balanced train split, whatever the pre-training imbalance.
      const balanced = sampleBalanced(train, Math.min(...classIndex(train).available), cell.seed, { draw: 0 });
      const probeTrain = await extractFeatures(featurizer, train, data.normalization, balanced.indices);
      const probeTest = await extractFeatures(featurizer, data.test, data.normalization);
      const probeOptions = { classes: train.classes, epochs: config.probe.epochs, seed: cell.seed };
      const linear =
        config.probe.kind === 'augmented'
          ? await linearProbeAugmented(driver, featurizer, { encoder, train: { set: train, indices: balanced.indices }, test: data.test, normalization: data.normalization, height, width, epochs: config.probe.epochs, seed: cell.seed })
          : await linearProbeCached(driver, probeTrain, probeTest, probeOptions);
      metrics['id.linear'] = linear.top1;
      perClass['id.linear'] = linear.perClass;
      metrics['id.tail'] = tailAccuracy(linear.perClass);
      metrics['id.knn'] = await knnAccuracy(driver, probeTrain, probeTest, { k: config.knn.k, temperature: 0.07, classes: train.classes });
      for (const shots of config.probe.fewShot) {
        // Few-shot rows: the first `shots` of each class in the balanced split's own order (seeded, nested in shots).
        const byClass = new Map<number, number[]>();
        probeTrain.labels.forEach((y, row) => byClass.set(y, [...(byClass.get(y) ?? []), row]));
        const rows = [...byClass.values()].flatMap((r) => r.slice(0, shots));
        metrics[`id.fewshot${shots}`] = (await linearProbeCached(driver, rowsOf(probeTrain, rows), probeTest, probeOptions)).top1;
      }
      if (ctx.ood) {
        const ood = ctx.ood;
        const perClassOod = Math.min(config.probe.oodPerClass, ...classIndex(ood.train).available);
        const oodIndices = sampleBalanced(ood.train, perClassOod, cell.seed, { draw: 0 }).indices;
        const oodTrain = await extractFeatures(featurizer, ood.train, ood.normalization, oodIndices);
        const oodTest = await extractFeatures(featurizer, ood.test, ood.normalization);
        const oodLinear = await linearProbeCached(driver, oodTrain, oodTest, { ...probeOptions, classes: ood.train.classes });
        metrics['ood.linear'] = oodLinear.top1;
        perClass['ood.linear'] = oodLinear.perClass;
      }
    } finally {
      featurizer.dispose();
    }
    const finishedAt = new Date();
    return {
      cell,
      configHash: ctx.configHash,
      status: 'done',
      startedAt: startedAt.toISOString(),
      finishedAt: finishedAt.toISOString(),
      seconds: (finishedAt.getTime() - startedAt.getTime()) / 1000,
      classCounts: counts,
      metrics,
      perClass,
      epochs,
      memory: { peakRssBytes: process.resourceUsage().maxRSS * 1024 },
      environment: cellEnvironment(ctx.info),
      data: { inDomain: data.name, ...(ctx.ood ? { outOfDomain: ctx.ood.name } : {}) },
    };
  } finally {
    trained?.dispose();
  }
}
