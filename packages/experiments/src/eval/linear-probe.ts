import { hostTensor, type Driver } from '@ltssl/core';
import { epochOrder } from '../data/batches.js';
import { cosineSchedule, fit, type FitEpoch } from '../train/fit.js';
import { phaseCallbacks, type PhaseProgress } from '../train/phase-progress.js';
import { accuracyOf, type Accuracy } from './accuracy.js';
import type { FeatureMatrix } from './extract-features.js';
import { gatherRows, predictClasses } from './predict-batches.js';
import { buildHeadPredict, buildHeadStep, PROBE_PREFIX, type HeadForm } from './probe-programs.js';

export interface CachedProbeOptions {
  readonly classes: number;
  /** Default 100 (the official protocol's length). */
  readonly epochs?: number;
  /** Default 256 (official); at most the train rows. */
  readonly batch?: number;
  /** Peak learning rate of the cosine schedule on scaled features. Default 0.1. */
  readonly lr?: number;
  /** Default 0.9. */
  readonly momentum?: number;
  /** Default 0. */
  readonly weightDecay?: number;
  readonly seed: number;
  /**
   * How features are scaled with the train split's statistics: 'standardize'
   * (per dimension: minus the mean, over the std; the default) or 'rms' (all
   * divided by one number, their RMS, so no direction is blown up: the toy's).
   */
  readonly scaling?: 'standardize' | 'rms';
  /** Shuffle the train rows every epoch (epochOrder). Default true; false keeps their order (the toy's full-batch steps). */
  readonly shuffle?: boolean;
  readonly head?: HeadForm;
  /** Reports the phase's steps (a cell's progress bar); the work is the same without it. */
  readonly progress?: PhaseProgress;
}

/** Per-dimension shift and scale of the train features, applied to both splits as (v - mean) * scale. */
function featureStatistics(train: FeatureMatrix, scaling: 'standardize' | 'rms'): { mean: Float64Array; scale: Float64Array } {
  const { dim } = train;
  const mean = new Float64Array(dim);
  if (scaling === 'rms') {
    const rms = Math.sqrt(train.values.reduce((a, v) => a + v * v, 0) / train.values.length);
    // A collapsed encoder (all zeros) gives zero features: leave them unscaled, the probe then scores chance.
    return { mean, scale: new Float64Array(dim).fill(rms > 0 && Number.isFinite(rms) ? 1 / rms : 1) };
  }
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
  const { mean, scale } = featureStatistics(train, o.scaling ?? 'standardize');
  const [trainX, testX] = [applyStandardization(train, mean, scale), applyStandardization(test, mean, scale)];
  const { dim } = train;
  const form = o.head ?? {};
  const stepper = await driver.compile(buildHeadStep(dim, o.classes, batch, { momentum: o.momentum ?? 0.9, weightDecay: o.weightDecay ?? 0 }, o.seed, form));
  const predictor = await driver.compile(buildHeadPredict(dim, o.classes, batch, form), { shareState: stepper });
  try {
    const features = new Float32Array(batch * dim);
    const unshuffled = Int32Array.from({ length: train.count }, (_, i) => i);
    const epoch = (e: number): FitEpoch => {
      const order = o.shuffle === false ? unshuffled : epochOrder(train.count, { seed: o.seed, epoch: e });
      return {
        steps: Math.floor(train.count / batch),
        feeds: (step) => {
          const rows = order.subarray(step * batch, (step + 1) * batch);
          return { features: hostTensor('float32', [batch, dim], gatherRows(trainX, dim, rows, features)), labels: hostTensor('int32', [batch], Array.from(rows, (r) => train.labels[r]!)) };
        },
      };
    };
    await fit({ name: 'linear probe', executable: stepper, epochs, epoch, lr: cosineSchedule(o.lr ?? 0.1, epochs), callbacks: phaseCallbacks(o.progress, 'linear probe', epochs) });
    const predictions = await predictClasses(predictor, testX, dim);
    const state = await stepper.readState(form.bias === false ? [`${PROBE_PREFIX}weight`] : [`${PROBE_PREFIX}weight`, `${PROBE_PREFIX}bias`]);
    const w = state[`${PROBE_PREFIX}weight`]!.data;
    const b = state[`${PROBE_PREFIX}bias`]?.data ?? new Float32Array(o.classes); // a bias-free head's is 0
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
