import { bindModel, Tracer, type Program } from '@ltssl/core';
import { createEncoder, ENCODER_PREFIX, type EncoderSpec } from '../models/encoder.js';

/**
 * The encoder's forward pass in eval mode (BatchNorm on its running
 * statistics, nothing updated): input 'x' [B, C, H, W], output 'features'
 * [B, D]. Its slots are the encoder's ('encoder.*'), so compiled with
 * `shareState` it reads the weights a training step just wrote; compiled
 * alone, it holds the random initialisation of `seed` (the same a training
 * step of that seed starts from).
 */
export function buildFeatureProgram(spec: EncoderSpec, batch: number, height: number, width: number, seed = 0): Program {
  const tracer = new Tracer('encoder-features');
  const encoder = createEncoder(spec);
  const x = tracer.input('x', 'float32', [batch, spec.inChannels, height, width]);
  const vars = bindModel(tracer, encoder, { seed, prefix: ENCODER_PREFIX, trainable: false });
  tracer.output('features', tracer.scope('encoder', () => encoder.apply(vars, x, { training: false, prefix: ENCODER_PREFIX }))); // [B, D]
  return tracer.build();
}
