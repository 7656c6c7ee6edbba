import type { Module, Tensor, Tracer, Variables } from '@ltssl/core';
import { ENCODER_PREFIX, type Encoder } from './encoder.js';

/**
 * One view through the encoder (slots 'encoder.*') and then a head bound
 * under `headPrefix`, both in training mode, scoped by their names: the
 * forward pass SimSiam, Barlow Twins and VICReg run on each view in turn (so
 * BatchNorm statistics are per view, chained across the views).
 */
export function encodeAndProject(tracer: Tracer, net: { readonly encoder: Encoder; readonly ev: Variables; readonly head: Module; readonly hv: Variables; readonly headPrefix: string }, x: Tensor): Tensor {
  const features = tracer.scope('encoder', () => net.encoder.apply(net.ev, x, { training: true, prefix: ENCODER_PREFIX })); // [B, D]
  return tracer.scope(net.headPrefix.slice(0, -1), () => net.head.apply(net.hv, features, { training: true, prefix: net.headPrefix })); // [B, d]
}
