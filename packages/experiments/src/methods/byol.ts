import { bindModel, type Tensor, type Variables } from '@ltssl/core';
import { z } from 'zod';
import { byolPerExample } from '../losses/byol-loss.js';
import { collapseStd } from '../losses/collapse-std.js';
import { batchNormMlp } from '../models/batch-norm-mlp.js';
import { createEncoder, ENCODER_PREFIX } from '../models/encoder.js';
import { bindMomentumCopy, momentumUpdate } from '../models/momentum-encoder.js';
import type { Method, StepProgress } from './method.js';
import { methodOptionsObject, parseMethodOptions, positiveIntegerOption } from './method-options.js';

/** Slot prefixes of BYOL's target network (xi); the online side is 'encoder.', 'projector.', 'predictor.'. */
export const TARGET_ENCODER_PREFIX = 'target_encoder.';
export const TARGET_PROJECTOR_PREFIX = 'target_projector.';
/** The step input that carries tau, the target momentum of this step. */
export const TARGET_MOMENTUM_INPUT = 'targetMomentum';

function baseMomentumError(issue: { readonly input?: unknown }): string {
  return `must be in [0, 1) (at 1 the target network never moves), got ${String(issue.input)}`;
}

/** BYOL's options, each optional. */
export const byolOptionsSchema = methodOptionsObject('byol', {
  /** Hidden width of the projector g (Linear-BN-ReLU-Linear). Default 4096 (Grill et al. 2020, Sec. 3.3). */
  projectorHiddenDim: positiveIntegerOption().optional(),
  /** Output dimension of the projector and the predictor. Default 256 (BYOL). */
  projectorDim: positiveIntegerOption().optional(),
  /** Hidden width of the predictor q, the same MLP shape as g. Default 4096 (BYOL). */
  predictorHiddenDim: positiveIntegerOption().optional(),
  /**
   * tau_base of the target momentum schedule tau = 1 - (1 - tau_base)(cos(pi k / K) + 1) / 2,
   * in [0, 1). Default 0.99 (solo-learn's CIFAR setting; ImageNet: 0.996).
   */
  baseMomentum: z
    .number({ error: baseMomentumError })
    .min(0, { error: baseMomentumError })
    .lt(1, { error: baseMomentumError })
    .optional(),
});
export type ByolOptions = z.input<typeof byolOptionsSchema>;

/** BYOL's target momentum at global step k of K: tau_base at k = 0, rising by a half cosine to 1 at k = K. */
export function byolMomentum(baseMomentum: number, k: number, total: number): number {
  return 1 - ((1 - baseMomentum) * (Math.cos((Math.PI * k) / total) + 1)) / 2;
}

/**
 * The tau fed to step k: the one BYOL uses after step k - 1. BYOL moves the
 * target after each optimizer step, xi_k = tau_{k-1} xi_{k-1} + (1 - tau_{k-1}) theta_k;
 * here the move is traced at the start of step k from the pre-step online
 * weights theta_k (every update of a Program reads pre-step values), which is
 * the same sequence: step k's forward pass sees xi_k either way.
 */
function fedMomentum(baseMomentum: number, at: StepProgress): number {
  const k = at.epoch * at.steps + at.step;
  return byolMomentum(baseMomentum, Math.max(k - 1, 0), at.epochs * at.steps);
}

/**
 * BYOL (Grill et al. 2020): an online network (encoder f_theta, projector
 * g_theta, predictor q_theta; trained) and a target network (f_xi, g_xi; state
 * slots target_encoder.*, target_projector.*, not trained) that is an
 * exponential moving average of the online one:
 * - xi <- tau xi + (1 - tau) theta (momentumUpdate from the pre-step online
 *   weights), xi starting equal to theta; tau follows the cosine schedule from
 *   tau_base to 1 over the run's K steps and is fed per step as the input
 *   'targetMomentum' (see fedMomentum for the step it belongs to);
 * - each view through both networks (BatchNorm statistics per view, chained
 *   across the two views as in SimSiam's official code);
 * - the symmetrised loss 2 - 2 cos(q_theta(z_1), sg(z'_2)) + (2 - 2 cos(q_theta(z_2), sg(z'_1))).
 * Defaults: BYOL trains with LARS, which core does not have; SGD momentum
 * 0.9, weight decay 5e-4, lr 0.06 x batch / 256 at batch 512, SimSiam's CIFAR
 * setting (SimSiam is BYOL without the target network, trained with SGD).
 */
export function byol(options: ByolOptions = {}): Method {
  const o = parseMethodOptions('byol', byolOptionsSchema, options);
  const hiddenDim = o.projectorHiddenDim ?? 4096;
  const outDim = o.projectorDim ?? 256;
  const predictorHiddenDim = o.predictorHiddenDim ?? 4096;
  const baseMomentum = o.baseMomentum ?? 0.99;
  return {
    name: 'byol',
    views: 2,
    usesLabels: false,
    defaults: { baseLr: 0.06, momentum: 0.9, weightDecay: 5e-4, batch: 512 },
    schedules: [{ name: TARGET_MOMENTUM_INPUT, value: (at) => fedMomentum(baseMomentum, at) }],
    trace({ tracer, encoder: spec, seed, views, scheduled }) {
      const tau = scheduled[TARGET_MOMENTUM_INPUT];
      if (!tau) throw new Error(`byol: the step has no '${TARGET_MOMENTUM_INPUT}' input; build it with buildTrainStep`);
      const encoder = createEncoder(spec);
      const projector = batchNormMlp([encoder.featureDim, hiddenDim, outDim]);
      const predictor = batchNormMlp([outDim, predictorHiddenDim, outDim]);
      const ev = bindModel(tracer, encoder, { seed, prefix: ENCODER_PREFIX });
      const jv = bindModel(tracer, projector, { seed, prefix: 'projector.' });
      const pv = bindModel(tracer, predictor, { seed, prefix: 'predictor.' });
      const targetEncoder = { prefix: TARGET_ENCODER_PREFIX, sourcePrefix: ENCODER_PREFIX };
      const targetProjector = { prefix: TARGET_PROJECTOR_PREFIX, sourcePrefix: 'projector.' };
      const etv = bindMomentumCopy(tracer, encoder, { ...targetEncoder, seed });
      const jtv = bindMomentumCopy(tracer, projector, { ...targetProjector, seed });
      // The target moves first, from the pre-step online weights; this step's targets use the moved weights.
      momentumUpdate(etv, ev, encoder, { ...targetEncoder, momentum: tau });
      momentumUpdate(jtv, jv, projector, { ...targetProjector, momentum: tau });
      const project = (x: Tensor, e: Variables, j: Variables, [encoderPrefix, projectorPrefix]: readonly [string, string]): Tensor => {
        const y = tracer.scope(encoderPrefix.slice(0, -1), () => encoder.apply(e, x, { training: true, prefix: encoderPrefix })); // [B, D]
        return tracer.scope(projectorPrefix.slice(0, -1), () => projector.apply(j, y, { training: true, prefix: projectorPrefix })); // [B, d]
      };
      const [z1, z2] = views.map((x) => project(x, ev, jv, [ENCODER_PREFIX, 'projector.'])) as [Tensor, Tensor]; // [B, d]
      const [q1, q2] = [z1, z2].map((zv) => tracer.scope('predictor', () => predictor.apply(pv, zv, { training: true, prefix: 'predictor.' }))) as [Tensor, Tensor]; // [B, d]
      const [t1, t2] = views.map((x) => project(x, etv, jtv, [TARGET_ENCODER_PREFIX, TARGET_PROJECTOR_PREFIX])) as [Tensor, Tensor]; // [B, d], no gradient
      const perExample = byolPerExample(q1, q2, t1, t2); // [B]
      // etv and jtv have no trainable parameters: listing them commits their moved weights and BatchNorm statistics.
      return { loss: perExample.mean(), perExample, trained: [ev, jv, pv, etv, jtv], monitors: { collapseStd: collapseStd(z1) } };
    },
  };
}
