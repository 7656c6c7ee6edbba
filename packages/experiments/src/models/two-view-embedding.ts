import { bindModel, concat, type Tensor, type Tracer, type Variables } from '@ltssl/core';
import { contrastiveHead, PROJECTOR_PREFIX } from './contrastive-head.js';
import { createEncoder, ENCODER_PREFIX, type EncoderSpec } from './encoder.js';

export interface TwoViewEmbedding {
  readonly encoderVars: Variables;
  readonly projectorVars: Variables;
  /** Head outputs [2B, d]: view 1's B rows, then view 2's. */
  readonly z: Tensor;
}

/**
 * SimCLR's and SupCon's forward pass: encoder + contrastiveHead bound under
 * 'encoder.' and 'projector.', applied to both views as one batch of 2B, so
 * BatchNorm's statistics cover both views (SimCLR's global BN; SupContrast
 * concatenates the two crops the same way).
 */
export function embedTwoViews(o: {
  readonly tracer: Tracer;
  readonly spec: EncoderSpec;
  readonly seed: number;
  readonly views: readonly Tensor[];
  readonly hiddenDim: number;
  readonly outDim: number;
}): TwoViewEmbedding {
  const { tracer } = o;
  if (o.views.length !== 2) throw new Error(`embedTwoViews: a two-view contrastive method needs 2 views, got ${o.views.length}`);
  const encoder = createEncoder(o.spec);
  const projector = contrastiveHead(encoder.featureDim, o.hiddenDim, o.outDim);
  const encoderVars = bindModel(tracer, encoder, { seed: o.seed, prefix: ENCODER_PREFIX });
  const projectorVars = bindModel(tracer, projector, { seed: o.seed, prefix: PROJECTOR_PREFIX });
  const x = concat(o.views, 0); // [2B, C, H, W]
  const features = tracer.scope('encoder', () => encoder.apply(encoderVars, x, { training: true, prefix: ENCODER_PREFIX })); // [2B, D]
  const z = tracer.scope('projector', () => projector.apply(projectorVars, features, { training: true, prefix: PROJECTOR_PREFIX })); // [2B, d]
  return { encoderVars, projectorVars, z };
}
