import { bindModel, Tracer, type Program, type Tensor } from '@ltssl/core';
import type { Normalization } from '../data/normalization.js';
import { createEncoder, ENCODER_PREFIX, type EncoderSpec } from '../models/encoder.js';

/** The encoder's eval pass on `input`, with `prepare` applied to the input first. */
function encoderFeatures(name: string, spec: EncoderSpec, shape: readonly number[], input: string, seed: number, prepare: (x: Tensor) => Tensor = (x) => x): Program {
  const tracer = new Tracer(name);
  const encoder = createEncoder(spec);
  const x = tracer.input(input, 'float32', shape);
  const vars = bindModel(tracer, encoder, { seed, prefix: ENCODER_PREFIX, trainable: false });
  tracer.output('features', tracer.scope('encoder', () => encoder.apply(vars, prepare(x), { training: false, prefix: ENCODER_PREFIX }))); // [B, D]
  return tracer.build();
}

/**
 * The encoder's forward pass in eval mode (BatchNorm on its running
 * statistics, nothing updated): input 'x' [B, C, H, W], output 'features'
 * [B, D]. Its slots are the encoder's ('encoder.*'), so compiled with
 * `shareState` it reads the weights a training step just wrote; compiled
 * alone, it holds the random initialisation of `seed` (the same a training
 * step of that seed starts from).
 */
export function buildFeatureProgram(spec: EncoderSpec, batch: number, height: number, width: number, seed = 0): Program {
  return encoderFeatures('encoder-features', spec, [batch, spec.inChannels, height, width], 'x', seed);
}

/**
 * What `ltssl export` writes: the same eval pass, input 'images' [B, C, H, W]
 * and output 'features' [B, D]. With `normalization` the input is on the
 * [0, 1] scale (torchvision's ToTensor) and normalised inside the model,
 * (x - mean[c]) / std[c], as training normalised it; without, the caller
 * feeds normalised images.
 */
export function buildExportProgram(spec: EncoderSpec, batch: number, height: number, width: number, normalization?: Normalization): Program {
  const channels = spec.inChannels;
  const prepare = normalization
    ? (x: Tensor): Tensor => {
        const perChannel = (values: readonly number[]): Tensor => x.tracer.constant(values, 'float32', [1, channels, 1, 1]);
        return x.sub(perChannel(normalization.mean)).div(perChannel(normalization.std)); // [B, C, H, W]
      }
    : undefined;
  return encoderFeatures('encoder-export', spec, [batch, channels, height, width], 'images', 0, prepare);
}
