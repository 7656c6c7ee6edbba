import { cosineLr, hostTensor, type Driver } from '@ltssl/core';
import { epochOrder, evalBatches } from '../data/batches.js';
import { accuracyOf, type Accuracy } from './accuracy.js';
import type { FeatureMatrix } from './extract-features.js';
import { buildHeadPredict, buildHeadStep } from './probe-programs.js';

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

/** Per-dimension mean and std of the train features, applied to both splits. */
function standardize(train: FeatureMatrix, other: FeatureMatrix): [Float32Array, Float32Array] {
  const { dim } = train;
  const mean = new Float64Array(dim);
  const sq = new Float64Array(dim);
  for (let r = 0; r < train.count; r++) for (let d = 0; d < dim; d++) mean[d]! += train.values[r * dim + d]! / train.count;
  for (let r = 0; r < train.count; r++) for (let d = 0; d < dim; d++) sq[d]! += (train.values[r * dim + d]! - mean[d]!) ** 2 / train.count;
  const scale = Array.from(sq, (v) => 1 / Math.sqrt(v + 1e-8));
  const apply = (m: FeatureMatrix): Float32Array => m.values.map((v, i) => (v - mean[i % dim]!) * scale[i % dim]!);
  return [apply(train), apply(other)];
}

/**
 * The default linear probe: a linear head trained on cached, frozen features
 * of the balanced train split, tested on the test split. Features are
 * standardised with the train split's statistics, so one schedule (SGD momentum
 * 0.9, cosine from `lr`, no weight decay) fits every encoder; the official
 * protocol (lr 30 on raw features with augmentation) is linearProbeAugmented.
 */
export async function linearProbeCached(driver: Driver, train: FeatureMatrix, test: FeatureMatrix, o: CachedProbeOptions): Promise<Accuracy> {
  const epochs = o.epochs ?? 100;
  const batch = Math.min(o.batch ?? 256, train.count);
  const [trainX, testX] = standardize(train, test);
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
    return accuracyOf(predictions, test.labels, o.classes);
  } finally {
    predictor.dispose();
    stepper.dispose();
  }
}
