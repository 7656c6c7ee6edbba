import { bindModel, cosineSimilarity, minimize, predictionMlp, projectionMlp, Sgd, SmallCnn, Tracer, type Program, type Tensor } from '@ltssl/core';

export interface SimSiamStepOptions {
  readonly width: number;
  readonly channels: number;
  readonly size: number;
  readonly batch: number;
  readonly projectorDim: number;
  readonly predictorDim: number;
  readonly seed: number;
}

/**
 * A SimSiam-style step: two views through one encoder + projector (BatchNorm
 * running statistics updated twice, chained, as in the official code), a
 * predictor, and the symmetric negative cosine with stop-gradient on the
 * targets. Inputs x1, x2 (the views), lr.
 */
export function simsiamStep(o: SimSiamStepOptions): Program {
  const tracer = new Tracer('simsiam-small-cnn');
  const views = [1, 2].map((i) => tracer.input(`x${i}`, 'float32', [o.batch, o.channels, o.size, o.size]));
  const lr = tracer.input('lr', 'float32', []);
  const encoder = new SmallCnn({ inChannels: o.channels, width: o.width });
  const projector = projectionMlp(encoder.featureDim, o.projectorDim, o.projectorDim, 2);
  const predictor = predictionMlp(o.projectorDim, o.predictorDim);
  const ev = bindModel(tracer, encoder, { seed: o.seed, prefix: 'encoder.' });
  const jv = bindModel(tracer, projector, { seed: o.seed, prefix: 'projector.' });
  const pv = bindModel(tracer, predictor, { seed: o.seed, prefix: 'predictor.' });
  const embed = (x: Tensor): Tensor => projector.apply(jv, encoder.apply(ev, x, { training: true, prefix: 'encoder.' }), { training: true, prefix: 'projector.' });
  const [z1, z2] = views.map(embed) as [Tensor, Tensor]; // [B, projectorDim]
  const [p1, p2] = [z1, z2].map((z) => predictor.apply(pv, z, { training: true, prefix: 'predictor.' })) as [Tensor, Tensor];
  const loss = cosineSimilarity(p1, z2.stopGradient()).mean().add(cosineSimilarity(p2, z1.stopGradient()).mean()).mul(-0.5);
  minimize(tracer, loss, [ev, jv, pv], new Sgd({ momentum: 0.9, weightDecay: 5e-4 }), lr);
  tracer.output('loss', loss);
  return tracer.build();
}
