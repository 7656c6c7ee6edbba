import { bindModel, concat, CounterRng, hashName, l2Normalize, RNG_STREAMS, type NormFactory, type Tensor, type Variables } from '@ltssl/core';
import { z } from 'zod';
import { infoNceLoss } from '../losses/info-nce-loss.js';
import { contrastiveHead, PROJECTOR_PREFIX } from '../models/contrastive-head.js';
import { createEncoder, ENCODER_PREFIX } from '../models/encoder.js';
import { bindMomentumCopy, momentumUpdate } from '../models/momentum-encoder.js';
import { shuffleAcrossSplits, SplitBatchNorm, unshuffleAcrossSplits } from '../models/split-batch-norm.js';
import type { Method } from './method.js';
import { methodOptionsObject, parseMethodOptions, positiveIntegerOption, positiveNumberOption } from './method-options.js';

/** Slot prefixes of the key side (MoCo's encoder_k); the query side is 'encoder.' and 'projector.', which probes read. */
export const KEY_ENCODER_PREFIX = 'encoder_k.';
export const KEY_PROJECTOR_PREFIX = 'projector_k.';
/** The queue of negative keys, [K, d]. */
export const QUEUE_SLOT = 'queue';

function momentumError(issue: { readonly input?: unknown }): string {
  return `must be in [0, 1) (at 1 the key encoder never moves), got ${String(issue.input)}`;
}

/** MoCo v2's options, each optional. */
export const mocov2OptionsSchema = methodOptionsObject('mocov2', {
  /** Queue size K, negative keys kept from earlier batches; a multiple of the batch (checked with the batch). Default 4096 (CIFAR demo; ImageNet: 65536). */
  queueSize: positiveIntegerOption().optional(),
  /** Key-encoder momentum m in k <- m k + (1 - m) q, in [0, 1): at 1 the key encoder would never move. Default 0.99 (CIFAR demo; ImageNet: 0.999). */
  keyMomentum: z
    .number({ error: momentumError })
    .min(0, { error: momentumError })
    .lt(1, { error: momentumError })
    .optional(),
  /** Softmax temperature T, > 0. Default 0.2 (MoCo v2, docs/paper.md; the CIFAR demo, without MLP head, uses 0.1). */
  temperature: positiveNumberOption().optional(),
  /** Hidden width of the MLP head. Default: the encoder's feature dimension (MoCo v2's dim_mlp). */
  projectorHiddenDim: positiveIntegerOption().optional(),
  /** Output dimension d of the head and of the queue's keys. Default 128 (MoCo). */
  projectorDim: positiveIntegerOption().optional(),
  /** Sub-batches S of split BatchNorm in both encoders; must divide the batch (checked with the batch). Default 8 (CIFAR demo); 1 is plain BatchNorm. */
  batchNormSplits: positiveIntegerOption().optional(),
});
export type MocoV2Options = z.input<typeof mocov2OptionsSchema>;

/**
 * The queue's initial keys: unit rows of seeded normal noise, as MoCo's
 * normalize(randn(dim, K)), drawn from the state stream so the draw depends
 * only on the seed.
 */
export function initialQueue(seed: number, queueSize: number, dim: number): Float32Array {
  const noise = new Float64Array(queueSize * dim);
  new CounterRng(seed, RNG_STREAMS.state, hashName(QUEUE_SLOT)).fillNormal(noise);
  const queue = new Float32Array(queueSize * dim);
  for (let r = 0; r < queueSize; r++) {
    const row = noise.subarray(r * dim, (r + 1) * dim);
    const norm = Math.sqrt(row.reduce((s, v) => s + v * v, 0));
    row.forEach((v, j) => (queue[r * dim + j] = v / norm));
  }
  return queue;
}

/**
 * MoCo v2 (He et al. 2020; Chen et al. 2020, "Improved baselines") on one
 * device, as MoCo's CIFAR demo runs it (facebookresearch/moco,
 * colab/moco_cifar10_demo.ipynb) with MoCo v2's MLP head and temperature:
 * - query encoder f_q + head (trained) on view 1; key encoder f_k + head
 *   (state slots encoder_k.*, projector_k.*, not trained) on view 2;
 * - before the keys are computed, f_k <- m f_k + (1 - m) f_q from the query
 *   weights before this step's SGD update (moco's _momentum_update_key_encoder),
 *   f_k starting equal to f_q;
 * - InfoNCE over [q.k+, q queue^T] / T, target 0; asymmetric, as the demo runs
 *   it (symmetric = False) and as MoCo v2 is defined;
 * - queue' = concat(k, queue[0 : K - B]): the B new keys first, the oldest B
 *   dropped. moco overwrites a ring buffer at a moving pointer instead; the
 *   set of negatives is the same, and static slices need no pointer;
 * - shuffle-BN on one device: split BatchNorm in both encoders, and the key
 *   batch permuted before f_k and restored after, so a query and its key see
 *   different sub-batch statistics. The demo draws a random permutation each
 *   step; we have no gather or random op, and the loader already draws each
 *   batch at random, so a fixed permutation that mixes the splits
 *   (shuffleAcrossSplits) serves the same purpose.
 * Defaults: SGD momentum 0.9, weight decay 5e-4, lr 0.06 at batch 512, i.e.
 * base 0.03 x batch / 256 (the CIFAR demo; MoCo v2 on ImageNet uses 0.03 at
 * batch 256, the same base, with weight decay 1e-4).
 */
export function mocov2(options: MocoV2Options = {}): Method {
  const o = parseMethodOptions('mocov2', mocov2OptionsSchema, options);
  const queueSize = o.queueSize ?? 4096;
  const keyMomentum = o.keyMomentum ?? 0.99;
  const temperature = o.temperature ?? 0.2;
  const hiddenDim = o.projectorHiddenDim;
  const projectorDim = o.projectorDim ?? 128;
  const splits = o.batchNormSplits ?? 8;
  const checkBatch = (b: number): string | undefined => {
    if (queueSize % b !== 0) {
      return `the queue size K = ${queueSize} must be a multiple of the batch B = ${b} (each step replaces B rows with static slices); choose K = ${Math.max(1, Math.round(queueSize / b)) * b} or a batch that divides ${queueSize}`;
    }
    if (b % splits !== 0) return `batchNormSplits = ${splits} must divide the batch B = ${b}; choose a divisor of ${b}`;
    return undefined;
  };
  return {
    name: 'mocov2',
    views: 2,
    usesLabels: false,
    defaults: { baseLr: 0.03, momentum: 0.9, weightDecay: 5e-4, batch: 512 },
    checkBatch,
    trace({ tracer, encoder: spec, seed, views, shape }) {
      const b = shape.batch;
      const problem = checkBatch(b);
      if (problem) throw new Error(`mocov2: ${problem}`);
      const norm: NormFactory | undefined = splits > 1 ? (channels) => new SplitBatchNorm(channels, splits) : undefined;
      const encoder = createEncoder(spec, norm);
      const projector = contrastiveHead(encoder.featureDim, hiddenDim ?? encoder.featureDim, projectorDim);
      const ev = bindModel(tracer, encoder, { seed, prefix: ENCODER_PREFIX });
      const jv = bindModel(tracer, projector, { seed, prefix: PROJECTOR_PREFIX });
      const keyEncoder = { prefix: KEY_ENCODER_PREFIX, sourcePrefix: ENCODER_PREFIX };
      const keyProjector = { prefix: KEY_PROJECTOR_PREFIX, sourcePrefix: PROJECTOR_PREFIX };
      const ekv = bindMomentumCopy(tracer, encoder, { ...keyEncoder, seed });
      const jkv = bindMomentumCopy(tracer, projector, { ...keyProjector, seed });
      const queue = tracer.state({ name: QUEUE_SLOT, dtype: 'float32', shape: [queueSize, projectorDim], init: { kind: 'values', values: initialQueue(seed, queueSize, projectorDim) }, trainable: false }); // [K, d]

      // The key encoder moves first, from the pre-step query weights; the keys use the moved weights.
      momentumUpdate(ekv, ev, encoder, { ...keyEncoder, momentum: keyMomentum });
      momentumUpdate(jkv, jv, projector, { ...keyProjector, momentum: keyMomentum });
      // One side of MoCo: encoder, head, L2 normalisation; scopes and slots named by the side's prefixes.
      const embed = (x: Tensor, e: Variables, j: Variables, [encoderPrefix, projectorPrefix]: readonly [string, string]): Tensor => {
        const features = tracer.scope(encoderPrefix.slice(0, -1), () => encoder.apply(e, x, { training: true, prefix: encoderPrefix })); // [B, D]
        return l2Normalize(tracer.scope(projectorPrefix.slice(0, -1), () => projector.apply(j, features, { training: true, prefix: projectorPrefix }))); // [B, d]
      };
      const q = embed(views[0]!, ev, jv, [ENCODER_PREFIX, PROJECTOR_PREFIX]); // [B, d]
      // No gradient reaches the keys: the key weights are stop-gradient averages and view 2 is an input.
      const k = unshuffleAcrossSplits(embed(shuffleAcrossSplits(views[1]!, splits), ekv, jkv, [KEY_ENCODER_PREFIX, KEY_PROJECTOR_PREFIX]), splits); // [B, d]
      const { loss, positiveTop1 } = infoNceLoss(q, k, queue, temperature);
      tracer.update(QUEUE_SLOT, queueSize === b ? k : concat([k, queue.slice([0, 0], [queueSize - b, projectorDim])], 0)); // [K, d]
      // ekv and jkv have no trainable parameters: listing them commits their buffers (the averaged weights, BatchNorm statistics).
      return { loss, trained: [ev, jv, ekv, jkv], monitors: { positiveTop1 } };
    },
  };
}

