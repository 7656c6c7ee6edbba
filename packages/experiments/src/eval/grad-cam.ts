import { bindModel, oneHot, Tracer, vjp, type Program, type Tensor } from '@ltssl/core';
import { createEncoder, ENCODER_PREFIX, type EncoderSpec } from '../models/encoder.js';

/**
 * Grad-CAM (Selvaraju et al., ICCV 2017) of a batch, traced: `featureMap` is
 * A [B, C, H', W'], the last convolutional map, and `scores` [B] each
 * example's class-c score, computed from that example's A only (an encoder in
 * eval mode: no statistic crosses the batch). The gradient of sum_b scores[b]
 * with respect to A is then each example's own dS_b / dA_b.
 * alpha_k = mean over space of dS/dA_k; cam = ReLU(sum_k alpha_k A_k): [B, H', W'].
 */
export function gradCamMaps(featureMap: Tensor, scores: Tensor): Tensor {
  if (featureMap.rank !== 4) throw new Error(`Grad-CAM: the feature map must be [B, C, H, W], got [${featureMap.shape.join(', ')}]`);
  if (scores.rank !== 1 || scores.shape[0] !== featureMap.shape[0]) throw new Error(`Grad-CAM: scores must be [B] with B = ${featureMap.shape[0]}, got [${scores.shape.join(', ')}]`);
  const total = scores.sum(); // []: one backward pass for the whole batch
  const [gradient] = vjp([total], [featureMap.tracer.constant(1, total.dtype)], [featureMap]); // [B, C, H', W']
  const alpha = gradient!.mean([2, 3], true); // [B, C, 1, 1]: the channel weights
  return featureMap.mul(alpha).sum([1]).relu(); // [B, H', W']
}

/**
 * The class-c score of a linear head on globally pooled features: logits =
 * mean_{ij}(A) W^T + b, [B, K], and score_b = logits[b, target_b] (a one-hot
 * mask, no gather op). The probe's head in raw feature space (LinearHead).
 */
export function linearHeadScores(featureMap: Tensor, weight: Tensor, bias: Tensor, target: Tensor): { scores: Tensor; logits: Tensor } {
  const features = featureMap.mean([2, 3]); // [B, C]: the encoder's global average pool
  const logits = features.matmul(weight, false, true).add(bias); // [B, K]
  const scores = logits.mul(oneHot(target, weight.shape[0]!)).sum([1]); // [B]
  return { scores, logits };
}

/** Shapes a Grad-CAM program is built for. */
export interface GradCamProgramShape {
  readonly batch: number;
  readonly height: number;
  readonly width: number;
  /** Classes K of the head (the probe's). */
  readonly classes: number;
}

/**
 * Grad-CAM of an encoder under a linear head, as one Program: inputs 'x' [B,
 * C, H, W] (normalised images), 'target' int32 [B] (the class c of each
 * image), 'headWeight' [K, D] and 'headBias' [K] (a probe's head on raw
 * features); outputs 'cam' [B, H', W'] and 'logits' [B, K]. The encoder runs
 * in eval mode; its slots are 'encoder.*', so compiled with `shareState` it
 * reads the weights a training step wrote.
 */
export function buildGradCamProgram(spec: EncoderSpec, shape: GradCamProgramShape): Program {
  const tracer = new Tracer('grad-cam');
  const encoder = createEncoder(spec);
  const x = tracer.input('x', 'float32', [shape.batch, spec.inChannels, shape.height, shape.width]);
  const target = tracer.input('target', 'int32', [shape.batch]);
  const weight = tracer.input('headWeight', 'float32', [shape.classes, encoder.featureDim]);
  const bias = tracer.input('headBias', 'float32', [shape.classes]);
  const vars = bindModel(tracer, encoder, { seed: 0, prefix: ENCODER_PREFIX, trainable: false });
  const featureMap = tracer.scope('encoder', () => encoder.featureMap(encoder.context(vars, { training: false, prefix: ENCODER_PREFIX }), x)); // [B, D, H', W']
  const { scores, logits } = linearHeadScores(featureMap, weight, bias, target);
  tracer.output('cam', tracer.scope('grad-cam', () => gradCamMaps(featureMap, scores))); // [B, H', W']
  tracer.output('logits', logits); // [B, K]
  return tracer.build();
}
