import type { Shape } from '@ltssl/core';
import { conv2dBackpropInputLowering } from '../conv2d-backprop-input.js';
import type { Lowering } from '../lowering.js';
import { phasesApply, phasesLowering } from './conv2d-backprop-input-phases.js';
import { plainConv, runsBlocked, type ConvEmitter } from './nchwc-conv.js';

export type InputGradForm = 'phases' | 'transpose';

/**
 * Which form of dx ORT's CPU kernels run fastest for these shapes with the
 * profile's Conv, from ORT's per-node profile of the study's networks
 * (docs/performance.md):
 * - phases (forward Convs, conv2d-backprop-input-phases.ts) at stride 1: one
 *   Conv with the flipped filter, 1.3-1.9x faster than ConvTranspose on every
 *   ResNet-18 layer (64 channels at 32x32: 38 ms against 80);
 * - phases at stride 2 when their Convs run on NCHWc kernels (ResNet-18's step
 *   3.5% faster than with ConvTranspose for its strided layers), or, with ONNX's
 *   own Conv, when dx has at most 32 channels: the small CNN's two strided
 *   layers, 7.3 ms against 10.2 and 9.8 against 11.7 (SimCLR, 256 images),
 *   where ResNet-18's (64-256 channels) lost to ConvTranspose's one GEMM (49.7
 *   ms against 27.7 at 128 channels);
 * - ConvTranspose otherwise and wherever the phases do not apply (phasesApply:
 *   1x1 stride-2 shortcuts).
 */
export function inputGradForm(dy: Shape, filter: Shape, attrs: { readonly strides: readonly number[]; readonly pads: readonly number[]; readonly inputShape: readonly number[] }, conv: ConvEmitter = plainConv): InputGradForm {
  const { strides, pads, inputShape } = attrs;
  if (!phasesApply(strides, pads, filter.slice(2), inputShape, dy)) return 'transpose';
  if (strides.every((s) => s === 1) || runsBlocked(conv, inputShape[1]!, dy[1]!)) return 'phases';
  return inputShape[1]! <= 32 ? 'phases' : 'transpose';
}

/** The CPU provider's conv2dBackpropInput: the form inputGradForm picks for the node's shapes, the phases with the profile's Conv. */
export function cpuConv2dBackpropInputLowering(conv: ConvEmitter): Lowering<'conv2dBackpropInput'> {
  const phases = phasesLowering(conv);
  return (graph, node, inputs, types) => (inputGradForm(types[0]!.shape, types[1]!.shape, node.attrs, conv) === 'phases' ? phases : conv2dBackpropInputLowering)(graph, node, inputs, types);
}
