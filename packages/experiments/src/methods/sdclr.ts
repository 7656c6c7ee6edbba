import { bindModel, hostTensor, type StateDict, type Tensor } from '@ltssl/core';
import { z } from 'zod';
import { sdclrLoss } from '../losses/sdclr-loss.js';
import { contrastiveHead, PROJECTOR_PREFIX } from '../models/contrastive-head.js';
import { createEncoder, ENCODER_PREFIX } from '../models/encoder.js';
import { bindPrunedBranch, MASK_PREFIX, maskDensity, PRUNED_PREFIX } from '../models/pruned-branch.js';
import { magnitudePruneMasks } from './magnitude-pruning.js';
import type { Method } from './method.js';
import { methodOptionsObject, parseMethodOptions, positiveIntegerOption, positiveNumberOption } from './method-options.js';

function fractionError(issue: { readonly input?: unknown }): string {
  return `must be in [0, 1) (at 1 the self-competitor has no weights), got ${String(issue.input)}`;
}

/** SDCLR's options, each optional. */
export const sdclrOptionsSchema = methodOptionsObject('sdclr', {
  /** Hidden width of the Linear-ReLU-Linear head (SimCLR's). Default 2048 (as SimCLR here). */
  projectorHiddenDim: positiveIntegerOption().optional(),
  /** Output dimension of the head, where NT-Xent is computed. Default 128 (SDCLR's CIFAR command: --output_ch 128). */
  projectorDim: positiveIntegerOption().optional(),
  /** Temperature tau of NT-Xent, > 0. Default 0.2 (SDCLR's CIFAR command). */
  temperature: positiveNumberOption().optional(),
  /** p, the share of the encoder's convolution weights the self-competitor prunes, in [0, 1). Default 0.9 (SDCLR on CIFAR-10-LT and CIFAR-100-LT; 0.3 on ImageNet-100-LT). */
  pruneFraction: z.number({ error: fractionError }).min(0, { error: fractionError }).lt(1, { error: fractionError }).optional(),
});
export type SdclrOptions = z.input<typeof sdclrOptionsSchema>;

/**
 * Each prune_mask.* slot of `state` recomputed from the kernel it masks:
 * global magnitude pruning of all of them together at `fraction`.
 */
export function repruneMasks(state: StateDict, fraction: number): StateDict {
  const names = Object.keys(state).filter((n) => n.startsWith(MASK_PREFIX)).sort();
  const kernels = names.map((n) => {
    const kernel = state[n.slice(MASK_PREFIX.length)];
    if (!kernel) throw new Error(`sdclr: the state has the mask '${n}' but not the kernel '${n.slice(MASK_PREFIX.length)}' it prunes`);
    return kernel;
  });
  const masks = magnitudePruneMasks(kernels.map((k) => k.data), fraction);
  return Object.fromEntries(names.map((n, i) => [n, hostTensor('float32', [...kernels[i]!.shape], masks[i]!)]));
}

/**
 * SDCLR, self-damaging contrastive learning (Jiang, Chen, Mortazavi and Wang,
 * ICML 2021), on SimCLR's network here:
 * - the target model: encoder f + head g on view 1 (slots encoder.*, projector.*);
 * - its self-competitor: the same encoder with a share p of its convolution
 *   weights pruned by magnitude (bindPrunedBranch: masks as state over the
 *   shared kernels, its own BatchNorm layers as the official --prune_dual_bn),
 *   then the same head g, on view 2;
 * - NT-Xent between the two branches (sdclrLoss), the gradient reaching the
 *   shared weights through both; images the pruned network forgets (the
 *   paper's argument: the tail) get larger losses;
 * - the masks re-pruned from the current weights before every epoch
 *   (beforeEpoch: the official code prunes at the start of each epoch's
 *   train_prune), starting from the initial weights at epoch 0.
 * Departures: the head is SimCLR's Linear-ReLU-Linear (the official one adds
 * BatchNorm) so that SimCLR and SDCLR differ by the self-competitor alone.
 * Defaults: SGD momentum 0.9, weight decay 1e-4, lr 0.5 at batch 512, i.e.
 * base 0.25 x batch / 256 (the official cifar-10-LT.sh: --optimizer sgd --lr
 * 0.5, batch 512, weight decay 1e-4).
 */
export function sdclr(options: SdclrOptions = {}): Method {
  const o = parseMethodOptions('sdclr', sdclrOptionsSchema, options);
  const hiddenDim = o.projectorHiddenDim ?? 2048;
  const outDim = o.projectorDim ?? 128;
  const temperature = o.temperature ?? 0.2;
  const fraction = o.pruneFraction ?? 0.9;
  return {
    name: 'sdclr',
    views: 2,
    usesLabels: false,
    defaults: { baseLr: 0.25, momentum: 0.9, weightDecay: 1e-4, batch: 512 },
    beforeEpoch: (state) => repruneMasks(state, fraction),
    trace({ tracer, encoder: spec, seed, views }) {
      const encoder = createEncoder(spec);
      const projector = contrastiveHead(encoder.featureDim, hiddenDim, outDim);
      const ev = bindModel(tracer, encoder, { seed, prefix: ENCODER_PREFIX });
      const jv = bindModel(tracer, projector, { seed, prefix: PROJECTOR_PREFIX });
      const pruned = bindPrunedBranch(tracer, encoder, ev, { densePrefix: ENCODER_PREFIX, seed });
      const head = (features: Tensor): Tensor => tracer.scope('projector', () => projector.apply(jv, features, { training: true, prefix: PROJECTOR_PREFIX })); // [B, d]
      const dense = head(tracer.scope('encoder', () => encoder.apply(ev, views[0]!, { training: true, prefix: ENCODER_PREFIX }))); // [B, d]
      const damaged = head(tracer.scope('encoder_pruned', () => encoder.apply(pruned.variables, views[1]!, { training: true, prefix: PRUNED_PREFIX }))); // [B, d]
      return { loss: sdclrLoss(dense, damaged, temperature), trained: [ev, jv, pruned.variables], monitors: { maskDensity: maskDensity(pruned.masks) } };
    },
  };
}
