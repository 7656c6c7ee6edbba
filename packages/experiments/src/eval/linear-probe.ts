import { cosineLr, hostTensor, type Driver } from '@ltssl/core';
import { epochOrder, evalBatches } from '../data/batches.js';
import { accuracyOf, type Accuracy } from './accuracy.js';
import type { FeatureMatrix } from './extract-features.js';
import { buildHeadPredict, buildHeadStep, PROBE_PREFIX } from './probe-programs.js';

export interface CachedProbeOptions {
  readonly classes: number;
  /** Default 100 (the official protocol's length). */
  readonly epochs?: number;
  /** Default 256 (official). */
  readonly batch?: number;
  /** Peak learning rate of the cosine schedule on standardised features. Default 0.1. */
  readonly lr?: number;
  readonly momentum?: number;
  readonly weightDecay?: number;
  readonly seed: number;
}

/** Per-dimension mean and 1 / std of the train features: the standardisation applied to both splits. */
function featureStatistics(train: FeatureMatrix): { mean: Float64Array; scale: Float64Array } {
  const { dim } = train;
  const mean = new Float64Array(dim);
  const sq = new Float64Array(dim);
  for (let r = 0; r < train.count; r++) for (let d = 0; d < dim; d++) mean[d]! += train.values[r * dim + d]! / train.count;
  for (let r = 0; r < train.count; r++) for (let d = 0; d < dim; d++) sq[d]! += (train.values[r * dim + d]! - mean[d]!) ** 2 / train.count;
  return { mean, scale: sq.map((v) => 1 / Math.sqrt(v + 1e-8)) };
}

function applyStandardization(m: FeatureMatrix, mean: Float64Array, scale: Float64Array): Float32Array {
  return m.values.map((v, i) => (v - mean[i % m.dim]!) * scale[i % m.dim]!);
}

/**
 * The default linear probe: a linear head trained on cached, frozen features
 * of the balanced train split, tested on the test split. Features are
 * standardised with the train split's statistics, so one schedule (SGD momentum
 * 0.9, cosine from `lr`, no weight decay) fits every encoder; the official
 * protocol (lr 30 on raw features with augmentation) is linearProbeAugmented.
 */
export async function linearProbeCached(driver: Driver, train: FeatureMatrix, test: FeatureMatrix, o: CachedProbeOptions): Promise<Accuracy> {
  return (await trainLinearProbe(driver, train, test, o)).accuracy;
}

/** A linear head on raw (unstandardised) features: logits = f W^T + b. */
export interface LinearHead {
  /** [classes, dim] row-major. */
  readonly weight: Float32Array;
  /** [classes]. */
  readonly bias: Float32Array;
  readonly classes: number;
  readonly dim: number;
}

/**
 * linearProbeCached, also returning the trained head with the
 * standardisation folded in (W' = W diag(s), b' = b - W' mu), so it scores
 * raw features: what Grad-CAM differentiates.
 */
export async function trainLinearProbe(driver: Driver, train: FeatureMatrix, test: FeatureMatrix, o: CachedProbeOptions): Promise<{ accuracy: Accuracy; head: LinearHead }> {
  const epochs = o.epochs ?? 100;
  const batch = Math.min(o.batch ?? 256, train.count);
  const { mean, scale } = featureStatistics(train);
  const [trainX, testX] = [applyStandardization(train, mean, scale), applyStandardization(test, mean, scale)];
  const { dim } = train;
  const stepper = await driver.compile(buildHeadStep(dim, o.classes, batch, { momentum: o.momentum ?? 0.9, weightDecay: o.weightDecay ?? 0 }, o.seed));
  const predictor = await driver.compile(buildHeadPredict(dim, o.classes, batch), { shareState: stepper });
  try {
    const features = new Float32Array(batch * dim);
    const labels = new Int32Array(batch);
    const steps = Math.floor(train.count / batch);
    for (let epoch = 0; epoch < epochs; epoch++) {
      const order = epochOrder(train.count, { seed: o.seed, epoch });
      for (let step = 0; step < steps; step++) {
        for (let k = 0; k < batch; k++) {
          const row = order[step * batch + k]!;
          features.set(trainX.subarray(row * dim, (row + 1) * dim), k * dim);
          labels[k] = train.labels[row]!;
        }
        const lr = cosineLr({ baseLr: o.lr ?? 0.1, totalEpochs: epochs }, epoch + step / steps);
        await stepper.run({ features: hostTensor('float32', [batch, dim], features), labels: hostTensor('int32', [batch], labels), lr: hostTensor('float32', [], [lr]) }, []);
      }
    }
    const predictions = new Int32Array(test.count);
    for (const b of evalBatches(test.count, batch)) {
      for (let k = 0; k < batch; k++) features.set(testX.subarray(b.indices[k]! * dim, (b.indices[k]! + 1) * dim), k * dim);
      const { predictions: p } = await predictor.run({ features: hostTensor('float32', [batch, dim], features) }, ['predictions']);
      for (let k = 0; k < b.real; k++) predictions[b.indices[k]!] = p!.data[k]!;
    }
    const state = await stepper.readState([`${PROBE_PREFIX}weight`, `${PROBE_PREFIX}bias`]);
    const w = state[`${PROBE_PREFIX}weight`]!.data;
    const b = state[`${PROBE_PREFIX}bias`]!.data;
    const weight = new Float32Array(o.classes * dim);
    const bias = new Float32Array(o.classes);
    for (let c = 0; c < o.classes; c++) {
      let shift = 0;
      for (let d = 0; d < dim; d++) {
        weight[c * dim + d] = w[c * dim + d]! * scale[d]!;
        shift += w[c * dim + d]! * scale[d]! * mean[d]!;
      }
      bias[c] = b[c]! - shift;
    }
    return { accuracy: accuracyOf(predictions, test.labels, o.classes), head: { weight, bias, classes: o.classes, dim } };
  } finally {
    predictor.dispose();
    stepper.dispose();
  }
}
