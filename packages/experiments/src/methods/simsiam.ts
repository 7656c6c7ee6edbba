import { bindModel, predictionMlp, projectionMlp, type Tensor } from '@ltssl/core';
import type { z } from 'zod';
import { collapseStd } from '../losses/collapse-std.js';
import { simsiamPerExample } from '../losses/simsiam-loss.js';
import { encodeAndProject } from '../models/encode-project.js';
import { createEncoder, ENCODER_PREFIX } from '../models/encoder.js';
import type { Method } from './method.js';
import { methodOptionsObject, parseMethodOptions, positiveIntegerOption } from './method-options.js';

/** SimSiam's options, each optional; the default is the paper's CIFAR setting. */
export const simsiamOptionsSchema = methodOptionsObject('simsiam', {
  /** Projector width and output dimension d. Default 2048 (paper, CIFAR). */
  projectorDim: positiveIntegerOption().optional(),
  /** Predictor bottleneck, the hidden width of h. Default 512 (paper, CIFAR: d / 4). */
  predictorDim: positiveIntegerOption().optional(),
  /** Linear layers of the projector f's MLP. Default 2 (paper, CIFAR; 3 on ImageNet). */
  projectorLayers: positiveIntegerOption().optional(),
});
export type SimSiamOptions = z.input<typeof simsiamOptionsSchema>;

/**
 * SimSiam (Chen & He 2021) as the paper's official CIFAR code runs it: encoder
 * + projector f, predictor h, two views through the same network (BatchNorm
 * statistics updated by both, chained), symmetric negative cosine with
 * stop-gradient. Defaults: SGD momentum 0.9, weight decay 5e-4, lr 0.06 x
 * batch / 256, batch 512 (docs/paper.md).
 */
export function simsiam(options: SimSiamOptions = {}): Method {
  const o = parseMethodOptions('simsiam', simsiamOptionsSchema, options);
  const projectorDim = o.projectorDim ?? 2048;
  const predictorDim = o.predictorDim ?? 512;
  const layers = o.projectorLayers ?? 2;
  return {
    name: 'simsiam',
    views: 2,
    usesLabels: false,
    defaults: { baseLr: 0.06, momentum: 0.9, weightDecay: 5e-4, batch: 512 },
    trace({ tracer, encoder: spec, seed, views }) {
      const encoder = createEncoder(spec);
      const projector = projectionMlp(encoder.featureDim, projectorDim, projectorDim, layers);
      const predictor = predictionMlp(projectorDim, predictorDim);
      const ev = bindModel(tracer, encoder, { seed, prefix: ENCODER_PREFIX });
      const jv = bindModel(tracer, projector, { seed, prefix: 'projector.' });
      const pv = bindModel(tracer, predictor, { seed, prefix: 'predictor.' });
      const embed = (x: Tensor): Tensor => encodeAndProject(tracer, { encoder, ev, head: projector, hv: jv, headPrefix: 'projector.' }, x); // [B, d]
      const [z1, z2] = views.map(embed) as [Tensor, Tensor]; // [B, d]
      const [p1, p2] = [z1, z2].map((z) => tracer.scope('predictor', () => predictor.apply(pv, z, { training: true, prefix: 'predictor.' }))) as [Tensor, Tensor]; // [B, d]
      const perExample = simsiamPerExample(p1, p2, z1, z2); // [B]
      return { loss: perExample.mean(), perExample, trained: [ev, jv, pv], monitors: { collapseStd: collapseStd(z1) } };
    },
  };
}
