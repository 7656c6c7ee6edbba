import { BatchNorm, bindModel, cosineSimilarity, Linear, minimize, ReLU, Sequential, Sgd, SmallCnn, Tracer, type Program, type Tensor, type Variables } from '@ltssl/core';
import type { TwoViewStepShape } from './two-view-step-shape.js';
import { emaUpdate } from './ema-update.js';

export type ByolStepOptions = TwoViewStepShape;

/**
 * Linear-BN-ReLU-Linear: BYOL's projector and predictor, the first Linear
 * without bias here. A bias before BatchNorm has a zero gradient (BN removes
 * any shift), so its update is weight decay plus float32 noise, which the
 * update comparison would measure instead of the step.
 */
const mlp = (inDim: number, hidden: number, out: number): Sequential => new Sequential(new Linear(inDim, hidden, false), new BatchNorm(hidden), new ReLU(), new Linear(hidden, out));

/**
 * A BYOL-style step, the parts whose state is new: an online encoder,
 * projector and predictor (trained); a target encoder and projector (state,
 * not trained) moved by xi <- tau xi + (1 - tau) sg(theta) from the pre-step
 * online weights, tau a program input ('targetMomentum', fed per step, as
 * BYOL's cosine schedule is), before the target embeds both views (its
 * BatchNorm statistics updated by those passes); the symmetrised loss
 * 2 - 2 cos(q(z1), z'2) + 2 - 2 cos(q(z2), z'1). Inputs x1, x2, lr,
 * targetMomentum. As in the MoCo case, the target starts from its own seed so
 * that both terms of the average show.
 */
export function byolStep(o: ByolStepOptions): Program {
  const tracer = new Tracer('byol-small-cnn');
  const views = [1, 2].map((i) => tracer.input(`x${i}`, 'float32', [o.batch, o.channels, o.size, o.size])) as [Tensor, Tensor];
  const lr = tracer.input('lr', 'float32', []);
  const tau = tracer.input('targetMomentum', 'float32', []);
  const encoder = new SmallCnn({ inChannels: o.channels, width: o.width });
  const projector = mlp(encoder.featureDim, o.hiddenDim, o.projectorDim);
  const predictor = mlp(o.projectorDim, o.hiddenDim, o.projectorDim);
  const online = { encoder: bindModel(tracer, encoder, { seed: o.seed, prefix: 'encoder.' }), projector: bindModel(tracer, projector, { seed: o.seed, prefix: 'projector.' }) };
  const pv = bindModel(tracer, predictor, { seed: o.seed, prefix: 'predictor.' });
  const target = {
    encoder: bindModel(tracer, encoder, { seed: o.seed + 1, prefix: 'target_encoder.', trainable: false }),
    projector: bindModel(tracer, projector, { seed: o.seed + 1, prefix: 'target_projector.', trainable: false }),
  };
  emaUpdate(encoder, target.encoder, online.encoder, ['target_encoder.', 'encoder.'], tau);
  emaUpdate(projector, target.projector, online.projector, ['target_projector.', 'projector.'], tau);
  const project = (x: Tensor, side: { encoder: Variables; projector: Variables }, [e, p]: readonly [string, string]): Tensor =>
    projector.apply(side.projector, encoder.apply(side.encoder, x, { training: true, prefix: e }), { training: true, prefix: p }); // [B, d]
  const [z1, z2] = views.map((x) => project(x, online, ['encoder.', 'projector.'])) as [Tensor, Tensor];
  const [q1, q2] = [z1, z2].map((z) => predictor.apply(pv, z, { training: true, prefix: 'predictor.' })) as [Tensor, Tensor];
  const [t1, t2] = views.map((x) => project(x, target, ['target_encoder.', 'target_projector.']).stopGradient()) as [Tensor, Tensor];
  const loss = cosineSimilarity(q1, t2).add(cosineSimilarity(q2, t1)).mul(-2).add(4).mean(); // []
  // The target side has no trainable parameters: listing it commits its moved weights and BatchNorm statistics.
  minimize(tracer, loss, [online.encoder, online.projector, pv, target.encoder, target.projector], new Sgd({ momentum: 0.9, weightDecay: 5e-4 }), lr);
  tracer.output('loss', loss);
  return tracer.build();
}
