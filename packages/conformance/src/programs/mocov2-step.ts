import { bindModel, concat, initialValues, l2Normalize, Linear, logSoftmax, minimize, ReLU, Sequential, Sgd, SmallCnn, Tracer, type Program, type Tensor, type Variables } from '@ltssl/core';
import { emaUpdate } from './ema-update.js';

export interface MocoV2StepOptions {
  readonly width: number;
  readonly channels: number;
  readonly size: number;
  readonly batch: number;
  /** Queue size K, a multiple of the batch. */
  readonly queueSize: number;
  readonly projectorHiddenDim: number;
  readonly projectorDim: number;
  /** m in k <- m k + (1 - m) q. */
  readonly keyMomentum: number;
  /** T of InfoNCE. */
  readonly temperature: number;
  readonly seed: number;
}

/**
 * A MoCo v2-style step, the parts whose state lives in the Program: a query
 * encoder + MLP head (trained) on view 1; a key copy of both (state, not
 * trained) moved by the EMA k <- m k + (1 - m) sg(q) from the pre-step query
 * weights before it embeds view 2 (its BatchNorm statistics updated by that
 * pass); InfoNCE over [q.k+, q queue^T] / T with target 0; and the queue
 * shifted by static slices, queue' = concat(k, queue[0 : K - B]). Inputs x1,
 * x2 (the views), lr. The key side starts from its own seed rather than as a
 * copy of the query side (MoCo's start): the suite compares engines on one
 * program, and distinct weights make the EMA's two terms both visible.
 * Plain BatchNorm; experiments' split BatchNorm is built from the same ops.
 */
export function mocov2Step(o: MocoV2StepOptions): Program {
  if (o.queueSize % o.batch !== 0) throw new Error(`mocov2Step: the queue size ${o.queueSize} must be a multiple of the batch ${o.batch}`);
  const tracer = new Tracer('mocov2-small-cnn');
  const [x1, x2] = [1, 2].map((i) => tracer.input(`x${i}`, 'float32', [o.batch, o.channels, o.size, o.size])) as [Tensor, Tensor];
  const lr = tracer.input('lr', 'float32', []);
  const encoder = new SmallCnn({ inChannels: o.channels, width: o.width });
  const head = new Sequential(new Linear(encoder.featureDim, o.projectorHiddenDim), new ReLU(), new Linear(o.projectorHiddenDim, o.projectorDim));
  const sides = {
    query: { encoder: bindModel(tracer, encoder, { seed: o.seed, prefix: 'encoder.' }), head: bindModel(tracer, head, { seed: o.seed, prefix: 'projector.' }) },
    key: { encoder: bindModel(tracer, encoder, { seed: o.seed + 1, prefix: 'encoder_k.', trainable: false }), head: bindModel(tracer, head, { seed: o.seed + 1, prefix: 'projector_k.', trainable: false }) },
  };
  const queueShape = [o.queueSize, o.projectorDim];
  const queueInit = initialValues({ kind: 'normal', std: 1 / Math.sqrt(o.projectorDim) }, 'queue', queueShape, 'float32', o.seed); // rows of norm about 1
  const queue = tracer.state({ name: 'queue', dtype: 'float32', shape: queueShape, init: { kind: 'values', values: queueInit }, trainable: false }); // [K, d]

  emaUpdate(encoder, sides.key.encoder, sides.query.encoder, ['encoder_k.', 'encoder.'], o.keyMomentum);
  emaUpdate(head, sides.key.head, sides.query.head, ['projector_k.', 'projector.'], o.keyMomentum);

  const embed = (x: Tensor, side: { encoder: Variables; head: Variables }, [encoderPrefix, headPrefix]: readonly [string, string]): Tensor =>
    l2Normalize(head.apply(side.head, encoder.apply(side.encoder, x, { training: true, prefix: encoderPrefix }), { training: true, prefix: headPrefix })); // [B, d]
  const q = embed(x1, sides.query, ['encoder.', 'projector.']); // [B, d]
  const k = embed(x2, sides.key, ['encoder_k.', 'projector_k.']).stopGradient(); // [B, d]
  const logits = concat([q.mul(k).sum([1], true), q.matmul(queue, false, true)], 1).div(o.temperature); // [B, 1 + K]
  const loss = logSoftmax(logits, 1).slice([0, 0], [o.batch, 1]).mean().neg(); // []
  tracer.update('queue', o.queueSize === o.batch ? k : concat([k, queue.slice([0, 0], [o.queueSize - o.batch, o.projectorDim])], 0)); // [K, d]
  // The key side has no trainable parameters: listing it commits its moved weights and BatchNorm statistics.
  minimize(tracer, loss, [sides.query.encoder, sides.query.head, sides.key.encoder, sides.key.head], new Sgd({ momentum: 0.9, weightDecay: 5e-4 }), lr);
  tracer.output('loss', loss);
  return tracer.build();
}
