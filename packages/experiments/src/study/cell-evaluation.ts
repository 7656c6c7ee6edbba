import type { Driver, Executable } from '@ltssl/core';
import { classIndex } from '../data/class-index.js';
import type { LoadedDataset } from '../data/datasets.js';
import { sampleBalanced } from '../data/long-tail/sample-long-tail.js';
import { extractFeatures, type FeatureMatrix } from '../eval/extract-features.js';
import { fineTune } from '../eval/fine-tune.js';
import { knnAccuracy } from '../eval/knn.js';
import { linearProbeAugmented } from '../eval/linear-probe-augmented.js';
import { linearProbeCached } from '../eval/linear-probe.js';
import type { EncoderSpec } from '../models/encoder.js';
import { fewShotRows } from './few-shot-rows.js';
import { timed, type PhaseTimer } from '../train/phase-timer.js';
import type { PhaseProgress } from '../train/phase-progress.js';

/** How a cell's frozen encoder is evaluated (the probe part of a protocol's configuration). */
export interface EvaluationSettings {
  /** 'cached': head on frozen features (fast); 'augmented': the official protocol. */
  readonly kind: 'cached' | 'augmented';
  readonly epochs: number;
  /** Labelled images per class of the few-shot probes. */
  readonly fewShot: readonly number[];
  /** Images per class of the OOD probe's train split. */
  readonly oodPerClass: number;
  readonly knnK: number;
  /** OOD evaluation: a linear probe on frozen features ('ood.linear'), or fine-tuning ('ood.finetune', the paper's). */
  readonly ood?: { readonly kind: 'linear' | 'finetune'; readonly epochs: number };
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
 * The tail: the classes the long-tailed profiles make rare, class index >=
 * floor(C / 2) (class 0 is the head; the step profile's rare half). The same
 * classes at every r, r = 1 included, so 'id.tail' compares like with like.
 */
export function tailAccuracy(perClass: readonly number[]): number {
  const tail = perClass.slice(Math.floor(perClass.length / 2)).filter((a) => Number.isFinite(a));
  return tail.reduce((a, b) => a + b, 0) / tail.length;
}

/**
 * A frozen encoder (a feature-program executable holding it) evaluated on
 * balanced data: 'id.linear' (+ per class), 'id.tail', 'id.knn',
 * 'id.fewshotK', and out of domain 'ood.linear' or 'ood.finetune' when an OOD
 * set is given.
 */
export async function evaluateEncoder(
  driver: Driver,
  featurizer: Executable,
  encoder: EncoderSpec,
  data: LoadedDataset,
  ood: LoadedDataset | undefined,
  settings: EvaluationSettings,
  seed: number,
  timing?: PhaseTimer,
  progress?: PhaseProgress,
): Promise<{ metrics: Record<string, number>; perClass: Record<string, readonly number[]> }> {
  const features = (set: LoadedDataset['train'], normalization: LoadedDataset['normalization'], indices?: ArrayLike<number>) => timed(timing, 'features', () => extractFeatures(featurizer, set, normalization, indices, progress));
  const probe = (...args: Parameters<typeof linearProbeCached>) => timed(timing, 'probes', () => linearProbeCached(...args));
  const train = data.train;
  const metrics: Record<string, number> = {};
  const perClass: Record<string, readonly number[]> = {};
  // In domain: the probe trains on the balanced train split, whatever the pre-training imbalance.
  const balanced = sampleBalanced(train, Math.min(...classIndex(train).available), seed, { draw: 0 });
  const probeTrain = await features(train, data.normalization, balanced.indices);
  const probeTest = await features(data.test, data.normalization);
  const probeOptions = { classes: train.classes, epochs: settings.epochs, seed, ...(progress ? { progress } : {}) };
  const linear =
    settings.kind === 'augmented'
      ? await linearProbeAugmented(driver, featurizer, { encoder, train: { set: train, indices: balanced.indices }, test: data.test, normalization: data.normalization, height: train.height, width: train.width, epochs: settings.epochs, seed, ...(progress ? { progress } : {}) })
      : await probe(driver, probeTrain, probeTest, probeOptions);
  metrics['id.linear'] = linear.top1;
  perClass['id.linear'] = linear.perClass;
  metrics['id.tail'] = tailAccuracy(linear.perClass);
  metrics['id.knn'] = await timed(timing, 'knn', () => knnAccuracy(driver, probeTrain, probeTest, { k: settings.knnK, temperature: 0.07, classes: train.classes, ...(progress ? { progress } : {}) }));
  for (const shots of settings.fewShot) {
    // Few-shot rows: `shots` of each class of the probe's train split, drawn by the seed (the same for every method of it).
    const rows = fewShotRows(probeTrain.labels, balanced.indices, shots, seed);
    metrics[`id.fewshot${shots}`] = (await probe(driver, rowsOf(probeTrain, rows), probeTest, probeOptions)).top1;
  }
  if (ood) {
    const perClassOod = Math.min(settings.oodPerClass, ...classIndex(ood.train).available);
    const oodIndices = sampleBalanced(ood.train, perClassOod, seed, { draw: 0 }).indices;
    if (settings.ood?.kind === 'finetune') {
      const tuned = await fineTune(driver, featurizer, { encoder, train: { set: ood.train, indices: oodIndices }, test: ood.test, normalization: ood.normalization, height: ood.train.height, width: ood.train.width, epochs: settings.ood.epochs, seed, ...(progress ? { progress } : {}) });
      metrics['ood.finetune'] = tuned.top1;
      perClass['ood.finetune'] = tuned.perClass;
      return { metrics, perClass };
    }
    const oodTrain = await features(ood.train, ood.normalization, oodIndices);
    const oodTest = await features(ood.test, ood.normalization);
    const oodLinear = await probe(driver, oodTrain, oodTest, { ...probeOptions, classes: ood.train.classes });
    metrics['ood.linear'] = oodLinear.top1;
    perClass['ood.linear'] = oodLinear.perClass;
  }
  return { metrics, perClass };
}
