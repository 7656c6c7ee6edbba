import { Adam, bindModel, hostTensor, Linear, minimize, Tracer, type Driver, type Executable, type Program } from '@ltssl/core';
import type { ToyGaussianData } from '../../data/toy/toy-gaussians.js';
import type { ToyConfig } from './toy-config.js';
import { TOY_ENCODER_PREFIX, toyEncoder, type ToyShape } from './toy-encoder.js';
import { minMargin, multiclassHinge } from './toy-losses.js';
import { cosineSchedule, fit } from '../../train/fit.js';
import { toyHistory, type ToyTraining } from './toy-history.js';

/** The SL arm's head U [3, m] lives in slot 'head.weight'. */
export const TOY_HEAD_PREFIX = 'head.';

/**
 * One full-batch step of the SL arm: the two-layer linear network
 * x -> W x -> U W x (no biases), multiclass hinge loss with margin 1, Adam with
 * L2 penalty `weightDecay` on W and U.
 *
 * The paper's SL solution is the min-norm network with margin 1:
 * min ||W||_F^2 + ||U||_F^2 subject to s_y - s_k >= 1 on every training example.
 * The hinge loss is zero exactly on that constraint set, so minimising
 * hinge + (lambda / 2)(||W||^2 + ||U||^2) trades a violated margin against
 * norm, and as lambda -> 0 its minimisers converge to the min-norm margin-1
 * solution (the regularisation path of a homogeneous model: Rosset, Zhu and
 * Hastie 2004; Wei, Lee, Liu and Ma 2019). A small lambda and long training
 * approximate it; the 'minMargin' monitor (about 1 at the end) and the train
 * accuracy (1) show the run got there. Adam rather than SGD because the
 * problem is ill-conditioned: e1 is learned in a few steps, the memorising
 * directions of single examples take thousands.
 *
 * Inputs 'x' [n, d], 'labels' int32 [n], 'lr'; outputs 'loss', 'gradNorm',
 * 'minMargin', 'trainAccuracy'.
 */
export function buildToySlStep(shape: ToyShape, n: number, weightDecay: number, seed: number): Program {
  const tracer = new Tracer('toy-sl-step');
  const x = tracer.input('x', 'float32', [n, shape.dim]);
  const labels = tracer.input('labels', 'int32', [n]);
  const encoder = toyEncoder(shape);
  const head = new Linear(shape.width, 3, false);
  const ev = bindModel(tracer, encoder, { seed, prefix: TOY_ENCODER_PREFIX });
  const hv = bindModel(tracer, head, { seed, prefix: TOY_HEAD_PREFIX });
  const z = tracer.scope('encoder', () => encoder.apply(ev, x, { training: true, prefix: TOY_ENCODER_PREFIX })); // [n, m]
  const scores = tracer.scope('head', () => head.apply(hv, z, { training: true, prefix: TOY_HEAD_PREFIX })); // [n, 3]
  const loss = multiclassHinge(scores, labels); // []
  const gradNorm = minimize(tracer, loss, [ev, hv], new Adam({ weightDecay }), tracer.input('lr', 'float32', []));
  tracer.output('loss', loss);
  tracer.output('gradNorm', gradNorm);
  tracer.output('minMargin', minMargin(scores, labels));
  tracer.output('trainAccuracy', scores.argMax(1).equal(labels).cast('float32').mean()); // []
  return tracer.build();
}

/**
 * Trains the SL arm on `data`: every step sees the whole set, so a step is an
 * epoch, and the learning rate decays by cosine over the steps. The caller
 * disposes the executable; W is its slot 'encoder.weight'.
 */
export async function trainToySl(driver: Driver, config: ToyConfig, data: ToyGaussianData, seed: number): Promise<{ executable: Executable; training: ToyTraining }> {
  const shape = { dim: config.dim, width: config.width };
  const executable = await driver.compile(buildToySlStep(shape, data.count, config.sl.weightDecay, seed));
  try {
    const feeds = { x: hostTensor('float32', [data.count, data.dim], data.features), labels: hostTensor('int32', [data.count], data.labels) };
    const { steps } = config.sl;
    const recorder = toyHistory(steps, 1);
    const { last } = await fit({ name: 'toy-sl', executable, epochs: steps, epoch: () => ({ steps: 1, feeds: () => feeds }), lr: cosineSchedule(config.sl.lr, steps), monitors: ['minMargin', 'trainAccuracy'], callbacks: [recorder.callbacks] });
    return { executable, training: { history: recorder.history, last: last! } };
  } catch (error) {
    executable.dispose();
    throw error;
  }
}
