import { minimize, Sgd, Tracer, type Program } from '@ltssl/core';
import type { EncoderSpec } from '../models/encoder.js';
import type { BatchShape, Method } from './method.js';

export interface TrainStepOptions {
  readonly encoder: EncoderSpec;
  readonly shape: BatchShape;
  readonly seed: number;
  readonly momentum: number;
  readonly weightDecay: number;
}

/**
 * The training step Program of a method. Inputs: 'x' (one view) or 'x1', 'x2'
 * (two views), [B, C, H, W] float32; 'labels' int32 [B] when the method uses
 * labels; 'lr' float32 []. Outputs: 'loss', 'gradNorm' (global L2 norm of the
 * gradients, for divergence checks) and the method's monitors.
 */
export function buildTrainStep(method: Method, o: TrainStepOptions): Program {
  const tracer = new Tracer(`${method.name}-train-step`);
  const { batch, channels, height, width } = o.shape;
  const views = method.views === 1 ? [tracer.input('x', 'float32', [batch, channels, height, width])] : [1, 2].map((i) => tracer.input(`x${i}`, 'float32', [batch, channels, height, width]));
  const labels = method.usesLabels ? tracer.input('labels', 'int32', [batch]) : undefined;
  const lr = tracer.input('lr', 'float32', []);
  const traced = method.trace({ tracer, encoder: o.encoder, shape: o.shape, seed: o.seed, views, ...(labels ? { labels } : {}) });
  const gradNorm = minimize(tracer, traced.loss, traced.trained, new Sgd({ momentum: o.momentum, weightDecay: o.weightDecay }), lr);
  tracer.output('loss', traced.loss);
  tracer.output('gradNorm', gradNorm);
  for (const [name, value] of Object.entries(traced.monitors ?? {})) tracer.output(name, value);
  return tracer.build();
}
