import { bindModel, correctCount, crossEntropy, Linear, minimize, Sgd, Tracer, type Program, type Variables } from '@ltssl/core';
import { createEncoder, ENCODER_PREFIX, type EncoderSpec } from '../models/encoder.js';

/** The probe's linear head: its slots are 'probe.weight' and 'probe.bias'. */
export const PROBE_PREFIX = 'probe.';

export interface ProbeOptimizer {
  readonly momentum: number;
  readonly weightDecay: number;
}

/**
 * The head's form: PyTorch's Linear (a bias, a seeded initialisation) by
 * default; the toy protocol's probe is bias-free and starts at zero, so it is
 * the same function of the features on every run.
 */
export interface HeadForm {
  /** Default true. */
  readonly bias?: boolean;
  /** Start the weight at zero instead of the seeded initialisation. Default false. */
  readonly zeroInit?: boolean;
}

/** The head's module, bound under PROBE_PREFIX; a zero-initialised weight is declared first, so binding finds it. */
function bindHead(tracer: Tracer, dim: number, classes: number, seed: number, form: HeadForm): { head: Linear; hv: Variables } {
  const head = new Linear(dim, classes, form.bias ?? true);
  if (form.zeroInit) tracer.state({ name: `${PROBE_PREFIX}weight`, dtype: 'float32', shape: [classes, dim], init: { kind: 'fill', value: 0 }, trainable: true });
  return { head, hv: bindModel(tracer, head, { seed, prefix: PROBE_PREFIX }) };
}

/** One SGD step of a linear head on given features: inputs 'features' [B, D], 'labels', 'lr'; outputs 'loss', 'gradNorm'. */
export function buildHeadStep(dim: number, classes: number, batch: number, optimizer: ProbeOptimizer, seed: number, form: HeadForm = {}): Program {
  const tracer = new Tracer('probe-head-step');
  const features = tracer.input('features', 'float32', [batch, dim]);
  const labels = tracer.input('labels', 'int32', [batch]);
  const { head, hv } = bindHead(tracer, dim, classes, seed, form);
  const loss = crossEntropy(head.apply(hv, features, { training: true, prefix: PROBE_PREFIX }), labels); // []
  const gradNorm = minimize(tracer, loss, [hv], new Sgd(optimizer), tracer.input('lr', 'float32', []));
  tracer.output('loss', loss);
  tracer.output('gradNorm', gradNorm);
  return tracer.build();
}

/** The head's predictions on given features: input 'features' [B, D], output 'predictions' int32 [B]. */
export function buildHeadPredict(dim: number, classes: number, batch: number, form: HeadForm = {}): Program {
  const tracer = new Tracer('probe-head-predict');
  const features = tracer.input('features', 'float32', [batch, dim]);
  const { head, hv } = bindHead(tracer, dim, classes, 0, form);
  tracer.output('predictions', head.apply(hv, features, { training: false, prefix: PROBE_PREFIX }).argMax(1)); // [B]
  return tracer.build();
}

/**
 * The official protocol's step: augmented images through the frozen encoder
 * (eval mode: BatchNorm on running statistics; its parameters bound as
 * non-trainable, so no gradient or update touches them), then the head.
 * Inputs 'x' [B, C, H, W], 'labels', 'lr'; outputs 'loss', 'correct', 'gradNorm'.
 */
export function buildFrozenEncoderHeadStep(spec: EncoderSpec, classes: number, batch: number, height: number, width: number, optimizer: ProbeOptimizer, seed: number): Program {
  const tracer = new Tracer('probe-augmented-step');
  const x = tracer.input('x', 'float32', [batch, spec.inChannels, height, width]);
  const labels = tracer.input('labels', 'int32', [batch]);
  const encoder = createEncoder(spec);
  const ev = bindModel(tracer, encoder, { seed, prefix: ENCODER_PREFIX, trainable: false });
  const features = tracer.scope('encoder', () => encoder.apply(ev, x, { training: false, prefix: ENCODER_PREFIX })).stopGradient(); // [B, D]
  const head = new Linear(encoder.featureDim, classes);
  const hv = bindModel(tracer, head, { seed, prefix: PROBE_PREFIX });
  const logits = head.apply(hv, features, { training: true, prefix: PROBE_PREFIX }); // [B, classes]
  const loss = crossEntropy(logits, labels);
  const gradNorm = minimize(tracer, loss, [hv], new Sgd(optimizer), tracer.input('lr', 'float32', []));
  tracer.output('loss', loss);
  tracer.output('correct', correctCount(logits, labels));
  tracer.output('gradNorm', gradNorm);
  return tracer.build();
}
