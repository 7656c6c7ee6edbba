import { bindModel, crossEntropy, grad, hostTensor, Sgd, Tracer, type Driver, type Executable, type Program } from '@ltssl/core';
import { toyGaussians, type ToyGaussianData } from '../../data/toy/toy-gaussians.js';
import { accuracyOf, type Accuracy } from '../../eval/accuracy.js';
import type { ToyConfig } from './toy-config.js';
import { TOY_ENCODER_PREFIX, toyEncoder, type ToyShape } from './toy-encoder.js';
import { runToySteps } from './toy-train-loop.js';

/** The probe's weight V [3, m]: scores V W x, no bias. */
export const TOY_PROBE_SLOT = 'probe.weight';

/** Which independent draws of a seed the probe uses (the training set is draw 0). */
export const TOY_PROBE_DRAWS = { train: 1, test: 2 } as const;

/**
 * The representation W x of `count` inputs: input 'x' [count, d], output
 * 'features' [count, m]. Compiled with `shareState` on a trained arm, it reads
 * the trained W.
 */
export function buildToyFeatures(shape: ToyShape, count: number): Program {
  const tracer = new Tracer('toy-features');
  const x = tracer.input('x', 'float32', [count, shape.dim]);
  const encoder = toyEncoder(shape);
  const ev = bindModel(tracer, encoder, { seed: 0, prefix: TOY_ENCODER_PREFIX, trainable: false });
  tracer.output('features', encoder.apply(ev, x, { training: false, prefix: TOY_ENCODER_PREFIX })); // [count, m]
  return tracer.build();
}

/**
 * One full-batch SGD step of the linear probe on fixed features: softmax
 * cross-entropy of V z, V [3, m] starting at zero (so the probe is the same
 * function of the features on every run) with L2 penalty `weightDecay`.
 * No bias: the toy's classes are linear through the origin, as in the paper,
 * and a bias would let the probe find the rare class between the frequent
 * ones on e1 alone (it sits at e1 = 0), hiding whether W kept e2.
 * Inputs 'features' [count, m], 'labels' int32 [count], 'lr'; outputs 'loss', 'gradNorm'.
 */
export function buildToyProbeStep(width: number, count: number, weightDecay: number): Program {
  const tracer = new Tracer('toy-probe-step');
  const features = tracer.input('features', 'float32', [count, width]);
  const labels = tracer.input('labels', 'int32', [count]);
  const lr = tracer.input('lr', 'float32', []);
  const v = tracer.state({ name: TOY_PROBE_SLOT, dtype: 'float32', shape: [3, width], init: { kind: 'fill', value: 0 }, trainable: true });
  const loss = crossEntropy(features.matmul(v, false, true), labels); // logits [count, 3] -> []
  const [g] = grad(loss, [v]);
  new Sgd({ weightDecay }).step(tracer, [{ name: TOY_PROBE_SLOT, value: v, grad: g! }], lr);
  tracer.output('loss', loss);
  tracer.output('gradNorm', g!.square().sum().sqrt());
  return tracer.build();
}

/** The probe's predictions: input 'features' [count, m], output 'predictions' int32 [count]. */
export function buildToyProbePredict(width: number, count: number): Program {
  const tracer = new Tracer('toy-probe-predict');
  const features = tracer.input('features', 'float32', [count, width]);
  const v = tracer.state({ name: TOY_PROBE_SLOT, dtype: 'float32', shape: [3, width], init: { kind: 'fill', value: 0 }, trainable: false });
  tracer.output('predictions', features.matmul(v, false, true).argMax(1)); // [count]
  return tracer.build();
}

/** W x of every row of `data`, through the trained arm's W. */
async function represent(driver: Driver, trained: Executable, shape: ToyShape, data: ToyGaussianData): Promise<Float32Array> {
  const features = await driver.compile(buildToyFeatures(shape, data.count), { shareState: trained });
  try {
    const out = await features.run({ x: hostTensor('float32', [data.count, data.dim], data.features) }, ['features']);
    return out['features']!.data as Float32Array;
  } finally {
    features.dispose();
  }
}

export interface ToyProbeResult {
  /** On the balanced test set: top-1 and per class (class 2 is the rare one). */
  readonly accuracy: Accuracy;
  /** RMS of the probe's train features before scaling: the size of W x. */
  readonly featureRms: number;
}

/**
 * The few-shot linear probe on the frozen representation W x: trained on
 * `shotsPerClass` labelled examples of each class (a fresh draw, balanced),
 * tested on `testPerClass` of each (another draw). Features are divided by one
 * number, their RMS over the probe's train set, so one learning rate fits both
 * arms (SL's W and SSL's W differ in scale) without reweighting directions: a
 * per-dimension standardisation would let the probe blow up a direction W
 * barely kept, and the measure is how much of e2 W kept.
 */
export async function toyProbe(driver: Driver, trained: Executable, config: ToyConfig, seed: number): Promise<ToyProbeResult> {
  const shape = { dim: config.dim, width: config.width };
  const { shotsPerClass: k, testPerClass: t } = config.probe;
  const model = { dim: config.dim, tau: config.tau, rho: config.rho, seed };
  const train = toyGaussians({ ...model, counts: [k, k, k], draw: TOY_PROBE_DRAWS.train });
  const test = toyGaussians({ ...model, counts: [t, t, t], draw: TOY_PROBE_DRAWS.test });
  const trainFeatures = await represent(driver, trained, shape, train);
  const testFeatures = await represent(driver, trained, shape, test);
  const featureRms = Math.sqrt(trainFeatures.reduce((a, v) => a + v * v, 0) / trainFeatures.length);
  // A collapsed W (all zeros) gives zero features: leave them unscaled, the probe then scores chance.
  const scale = featureRms > 0 && Number.isFinite(featureRms) ? 1 / featureRms : 1;
  const step = await driver.compile(buildToyProbeStep(config.width, train.count, config.probe.weightDecay));
  try {
    const feeds = { features: hostTensor('float32', [train.count, config.width], trainFeatures.map((v) => v * scale)), labels: hostTensor('int32', [train.count], train.labels) };
    await runToySteps({ arm: 'toy-probe', executable: step, steps: config.probe.steps, lr: config.probe.lr, feeds: () => feeds, monitors: [], epochsPerStep: 1 });
    const predict = await driver.compile(buildToyProbePredict(config.width, test.count), { shareState: step });
    try {
      const out = await predict.run({ features: hostTensor('float32', [test.count, config.width], testFeatures.map((v) => v * scale)) }, ['predictions']);
      return { accuracy: accuracyOf(out['predictions']!.data, test.labels, 3), featureRms };
    } finally {
      predict.dispose();
    }
  } finally {
    step.dispose();
  }
}
