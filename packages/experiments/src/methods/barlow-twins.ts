import { bindModel, type Tensor } from '@ltssl/core';
import type { z } from 'zod';
import { barlowTwinsLoss } from '../losses/barlow-twins-loss.js';
import { batchNormMlp } from '../models/batch-norm-mlp.js';
import { encodeAndProject } from '../models/encode-project.js';
import { createEncoder, ENCODER_PREFIX } from '../models/encoder.js';
import type { Method } from './method.js';
import { methodOptionsObject, parseMethodOptions, positiveIntegerOption, positiveNumberOption } from './method-options.js';

/** Barlow Twins' options, each optional. */
export const barlowTwinsOptionsSchema = methodOptionsObject('barlow-twins', {
  /** Width of the projector's two hidden layers. Default 8192 (Zbontar et al. 2021, Sec. 4). */
  projectorHiddenDim: positiveIntegerOption().optional(),
  /** Output dimension D of the projector, the size of the cross-correlation matrix. Default 8192 (Barlow Twins). */
  projectorDim: positiveIntegerOption().optional(),
  /** lambda, the weight of the redundancy-reduction (off-diagonal) term, > 0. Default 0.0051 (the official code; the paper rounds it to 5e-3). */
  lambda: positiveNumberOption().optional(),
});
export type BarlowTwinsOptions = z.input<typeof barlowTwinsOptionsSchema>;

/**
 * Barlow Twins (Zbontar et al. 2021): encoder + projector (three Linear
 * layers without bias, BatchNorm and ReLU after the first two, as the
 * official code) on each view (BatchNorm statistics per view, chained), then
 * the loss on the cross-correlation of the two views' batch-normalised
 * embeddings: its diagonal pulled to 1, the rest (weighted by lambda) to 0.
 * No stop-gradient, no predictor, no negatives.
 * Defaults: the paper trains with LARS, which core does not have; SGD
 * momentum 0.9, weight decay 1e-4 (solo-learn's CIFAR setting), lr 0.06 x
 * batch / 256 at batch 512 (SimSiam's CIFAR rate for SGD).
 */
export function barlowTwins(options: BarlowTwinsOptions = {}): Method {
  const o = parseMethodOptions('barlow-twins', barlowTwinsOptionsSchema, options);
  const hiddenDim = o.projectorHiddenDim ?? 8192;
  const outDim = o.projectorDim ?? 8192;
  const lambda = o.lambda ?? 0.0051;
  return {
    name: 'barlow-twins',
    views: 2,
    usesLabels: false,
    defaults: { baseLr: 0.06, momentum: 0.9, weightDecay: 1e-4, batch: 512 },
    trace({ tracer, encoder: spec, seed, views }) {
      const encoder = createEncoder(spec);
      const projector = batchNormMlp([encoder.featureDim, hiddenDim, hiddenDim, outDim], { bias: false });
      const ev = bindModel(tracer, encoder, { seed, prefix: ENCODER_PREFIX });
      const jv = bindModel(tracer, projector, { seed, prefix: 'projector.' });
      const embed = (x: Tensor): Tensor => encodeAndProject(tracer, { encoder, ev, head: projector, hv: jv, headPrefix: 'projector.' }, x); // [B, d]
      const [zA, zB] = views.map(embed) as [Tensor, Tensor]; // [B, D]
      return { loss: barlowTwinsLoss(zA, zB, lambda), trained: [ev, jv] };
    },
  };
}
