import { bindModel, crossEntropy, Linear, minimize, ResNet18, Sgd, SmallCnn, Tracer, type Program } from '@ltssl/core';

export interface SupervisedStepOptions {
  readonly encoder: 'small-cnn' | 'resnet18';
  readonly width: number;
  readonly channels: number;
  readonly size: number;
  readonly batch: number;
  readonly classes: number;
  readonly seed: number;
}

/**
 * The study's SL arm in miniature: encoder + linear head, cross-entropy, SGD
 * with momentum and weight decay, BatchNorm in training mode. Inputs x, labels, lr.
 */
export function supervisedStep(o: SupervisedStepOptions): Program {
  const tracer = new Tracer(`supervised-${o.encoder}`);
  const x = tracer.input('x', 'float32', [o.batch, o.channels, o.size, o.size]);
  const labels = tracer.input('labels', 'int32', [o.batch]);
  const lr = tracer.input('lr', 'float32', []);
  const encoder = o.encoder === 'resnet18' ? new ResNet18({ inChannels: o.channels, width: o.width }) : new SmallCnn({ inChannels: o.channels, width: o.width });
  const head = new Linear(encoder.featureDim, o.classes);
  const ev = bindModel(tracer, encoder, { seed: o.seed, prefix: 'encoder.' });
  const hv = bindModel(tracer, head, { seed: o.seed, prefix: 'head.' });
  const features = tracer.scope('encoder', () => encoder.apply(ev, x, { training: true, prefix: 'encoder.' })); // [B, D]
  const logits = tracer.scope('head', () => head.apply(hv, features, { training: true, prefix: 'head.' })); // [B, classes]
  const loss = crossEntropy(logits, labels);
  minimize(tracer, loss, [ev, hv], new Sgd({ momentum: 0.9, weightDecay: 5e-4 }), lr);
  tracer.output('loss', loss);
  return tracer.build();
}
