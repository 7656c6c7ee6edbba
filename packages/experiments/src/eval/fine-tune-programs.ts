import { applyGradients, bindModel, correctCount, crossEntropy, grad, globalNorm, Linear, Sgd, Tracer, type Program } from '@ltssl/core';
import { createEncoder, ENCODER_PREFIX, type EncoderSpec } from '../models/encoder.js';
import { PROBE_PREFIX } from './probe-programs.js';

export interface FineTuneOptimizer {
  /** The backbone's learning rate is the head's times this (the paper's fine-tuning: 0.1). */
  readonly backboneLrScale: number;
  readonly momentum: number;
  readonly weightDecay: number;
}

/**
 * One fine-tuning step: the encoder (trainable, BatchNorm in training mode)
 * and a fresh linear head trained together with Nesterov SGD, the backbone at
 * backboneLrScale x the head's rate. Inputs 'x', 'labels', 'lr' (the head's);
 * outputs 'loss', 'correct', 'gradNorm'.
 */
export function buildFineTuneStep(spec: EncoderSpec, classes: number, batch: number, height: number, width: number, o: FineTuneOptimizer, seed: number): Program {
  const tracer = new Tracer('fine-tune-step');
  const x = tracer.input('x', 'float32', [batch, spec.inChannels, height, width]);
  const labels = tracer.input('labels', 'int32', [batch]);
  const lr = tracer.input('lr', 'float32', []);
  const encoder = createEncoder(spec);
  const ev = bindModel(tracer, encoder, { seed, prefix: ENCODER_PREFIX });
  const head = new Linear(encoder.featureDim, classes);
  const hv = bindModel(tracer, head, { seed, prefix: PROBE_PREFIX });
  const features = tracer.scope('encoder', () => encoder.apply(ev, x, { training: true, prefix: ENCODER_PREFIX })); // [B, D]
  const logits = head.apply(hv, features, { training: true, prefix: PROBE_PREFIX }); // [B, classes]
  const loss = crossEntropy(logits, labels);
  const optimizer = new Sgd({ momentum: o.momentum, nesterov: true, weightDecay: o.weightDecay });
  const backboneGrads = grad(loss, ev.parameters().map((p) => p.value));
  const headGrads = grad(loss, hv.parameters().map((p) => p.value));
  applyGradients(tracer, [ev], backboneGrads, optimizer, lr.mul(o.backboneLrScale));
  applyGradients(tracer, [hv], headGrads, optimizer, lr);
  tracer.output('loss', loss);
  tracer.output('correct', correctCount(logits, labels));
  tracer.output('gradNorm', globalNorm([...backboneGrads, ...headGrads]));
  return tracer.build();
}
