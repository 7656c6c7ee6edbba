import type { z } from 'zod';
import { concat } from '@ltssl/core';
import { contrastiveLoss } from '../losses/contrastive-loss.js';
import { embedTwoViews } from '../models/two-view-embedding.js';
import type { Method } from './method.js';
import { methodOptionsObject, parseMethodOptions, positiveIntegerOption, positiveNumberOption } from './method-options.js';

/** SupCon's options, each optional. */
export const supconOptionsSchema = methodOptionsObject('supcon', {
  /** Hidden width of the Linear-ReLU-Linear head. Default 2048 (SupContrast's head is dim_in wide: 2048 on its ResNet-50). */
  projectorHiddenDim: positiveIntegerOption().optional(),
  /** Output dimension of the head, where the loss is computed. Default 128 (Khosla et al. 2020). */
  projectorDim: positiveIntegerOption().optional(),
  /** Temperature tau, > 0. Default 0.1 (Khosla et al. 2020, Sec. 4; SupContrast's CIFAR command). */
  temperature: positiveNumberOption().optional(),
});
export type SupConOptions = z.input<typeof supconOptionsSchema>;

/**
 * Supervised contrastive learning (Khosla et al. 2020): SimCLR's network and
 * loss with labels as ids, so every other sample of the class, in either view,
 * is a positive (L_out: log-probabilities averaged over the positives).
 * It uses labels like the supervised arm but learns through a contrastive
 * objective, a middle point between SL and SSL on imbalanced data.
 * Defaults: SGD momentum 0.9, weight decay 1e-4, lr 0.5 at batch 1024, i.e.
 * base 0.125 x batch / 256 (HobbitLong/SupContrast's README command for
 * CIFAR and its main_supcon.py defaults).
 */
export function supcon(options: SupConOptions = {}): Method {
  const o = parseMethodOptions('supcon', supconOptionsSchema, options);
  const hiddenDim = o.projectorHiddenDim ?? 2048;
  const outDim = o.projectorDim ?? 128;
  const temperature = o.temperature ?? 0.1;
  return {
    name: 'supcon',
    views: 2,
    usesLabels: true,
    defaults: { baseLr: 0.125, momentum: 0.9, weightDecay: 1e-4, batch: 1024 },
    trace({ tracer, encoder: spec, seed, views, labels }) {
      if (!labels) throw new Error('supcon: the step needs labels (int32 [B]); build it with a method whose usesLabels is true');
      const { encoderVars, projectorVars, z } = embedTwoViews({ tracer, spec, seed, views, hiddenDim, outDim }); // z [2B, d]
      const ids = concat([labels, labels], 0); // [2B]: a view's id is its image's label
      return { loss: contrastiveLoss(z, ids, temperature), trained: [encoderVars, projectorVars] };
    },
  };
}
