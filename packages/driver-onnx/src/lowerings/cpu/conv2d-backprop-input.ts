import type { Shape } from '@ltssl/core';
import { conv2dBackpropInputLowering } from '../conv2d-backprop-input.js';
import type { Lowering } from '../lowering.js';
import { conv2dBackpropInputPhasesLowering, phasesApply } from './conv2d-backprop-input-phases.js';

export type InputGradForm = 'phases' | 'transpose';

/**
 * Which form of dx ORT's CPU kernels run fastest for these shapes, from ORT's
 * per-node profile of the study's networks (docs/performance.md):
 * - phases (forward Convs, conv2d-backprop-input-phases.ts) at stride 1: one
 *   Conv with the flipped filter, 1.3-1.9x faster than ConvTranspose on every
 *   ResNet-18 layer (64 channels at 32x32: 38 ms against 80);
 * - phases at stride 2 when dx has at most 32 channels: the small CNN's two
 *   strided layers, 7.3 ms against 10.2 and 9.8 against 11.7 (SimCLR, 256
 *   images);
 * - ConvTranspose for ResNet-18's strided layers (64-256 channels), where its
 *   one GEMM beat the phases (27.7 ms against 49.7 at 128 channels), and
 *   wherever the phases do not apply (phasesApply: 1x1 stride-2 shortcuts).
 */
export function inputGradForm(dy: Shape, filter: Shape, attrs: { readonly strides: readonly number[]; readonly pads: readonly number[]; readonly inputShape: readonly number[] }): InputGradForm {
  const { strides, pads, inputShape } = attrs;
  if (!phasesApply(strides, pads, filter.slice(2), inputShape, dy)) return 'transpose';
  return strides.every((s) => s === 1) || inputShape[1]! <= 32 ? 'phases' : 'transpose';
}

/** The CPU provider's conv2dBackpropInput: the form inputGradForm picks for the node's shapes. */
export const cpuConv2dBackpropInputLowering: Lowering<'conv2dBackpropInput'> = (graph, node, inputs, types) =>
  (inputGradForm(types[0]!.shape, types[1]!.shape, node.attrs) === 'phases' ? conv2dBackpropInputPhasesLowering : conv2dBackpropInputLowering)(graph, node, inputs, types);
