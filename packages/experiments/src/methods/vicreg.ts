import { bindModel, type Tensor } from '@ltssl/core';
import type { z } from 'zod';
import { vicregLoss } from '../losses/vicreg-loss.js';
import { batchNormMlp } from '../models/batch-norm-mlp.js';
import { encodeAndProject } from '../models/encode-project.js';
import { createEncoder, ENCODER_PREFIX } from '../models/encoder.js';
import type { Method } from './method.js';
import { methodOptionsObject, parseMethodOptions, positiveIntegerOption, positiveNumberOption } from './method-options.js';

/** VICReg's options, each optional. */
export const vicregOptionsSchema = methodOptionsObject('vicreg', {
  /** Width of the expander's two hidden layers. Default 8192 (Bardes et al. 2022, Sec. 4.2). */
  projectorHiddenDim: positiveIntegerOption().optional(),
  /** Output dimension D of the expander, where the loss is computed. Default 8192 (VICReg). */
  projectorDim: positiveIntegerOption().optional(),
  /** lambda, the weight of the invariance term (mean squared distance), > 0. Default 25 (VICReg). */
  invarianceWeight: positiveNumberOption().optional(),
  /** mu, the weight of the variance hinge, > 0. Default 25 (VICReg). */
  varianceWeight: positiveNumberOption().optional(),
  /** nu, the weight of the covariance penalty, > 0. Default 1 (VICReg). */
  covarianceWeight: positiveNumberOption().optional(),
});
export type VicRegOptions = z.input<typeof vicregOptionsSchema>;

/**
 * VICReg (Bardes, Ponce and LeCun, ICLR 2022): encoder + expander (three
 * Linear layers, BatchNorm and ReLU after the first two, as the official
 * code) on each view (BatchNorm statistics per view, chained), and the loss
 * lambda s + mu (v(Z) + v(Z')) / 2 + nu (c(Z) + c(Z')): invariance between the
 * views, a hinge keeping each dimension's std over the batch at 1 or more,
 * and decorrelated dimensions. The three terms are monitored.
 * Defaults: the paper trains with LARS, which core does not have; SGD
 * momentum 0.9, weight decay 1e-4 (solo-learn's CIFAR setting), lr 0.06 x
 * batch / 256 at batch 512 (SimSiam's CIFAR rate for SGD).
 */
export function vicreg(options: VicRegOptions = {}): Method {
  const o = parseMethodOptions('vicreg', vicregOptionsSchema, options);
  const hiddenDim = o.projectorHiddenDim ?? 8192;
  const outDim = o.projectorDim ?? 8192;
  const weights = { lambda: o.invarianceWeight ?? 25, mu: o.varianceWeight ?? 25, nu: o.covarianceWeight ?? 1 };
  return {
    name: 'vicreg',
    views: 2,
    usesLabels: false,
    defaults: { baseLr: 0.06, momentum: 0.9, weightDecay: 1e-4, batch: 512 },
    trace({ tracer, encoder: spec, seed, views }) {
      const encoder = createEncoder(spec);
      const expander = batchNormMlp([encoder.featureDim, hiddenDim, hiddenDim, outDim]);
      const ev = bindModel(tracer, encoder, { seed, prefix: ENCODER_PREFIX });
      const jv = bindModel(tracer, expander, { seed, prefix: 'projector.' });
      const embed = (x: Tensor): Tensor => encodeAndProject(tracer, { encoder, ev, head: expander, hv: jv, headPrefix: 'projector.' }, x); // [B, d]
      const [z1, z2] = views.map(embed) as [Tensor, Tensor]; // [B, D]
      const { loss, invariance, variance, covariance } = vicregLoss(z1, z2, weights);
      return { loss, trained: [ev, jv], monitors: { invariance, variance, covariance } };
    },
  };
}
