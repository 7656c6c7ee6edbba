import type { Shape } from '@ltssl/core';
import { conv2dBackpropFilterLowering } from '../conv2d-backprop-filter.js';
import type { Lowering } from '../lowering.js';
import { conv2dBackpropFilterConvLowering } from './conv2d-backprop-filter-conv.js';
import { conv2dBackpropFilterPatchesLowering } from './conv2d-backprop-filter-patches.js';
import { conv2dBackpropFilterWindowsLowering, windowsApply } from './conv2d-backprop-filter-windows.js';

export type FilterGradForm = 'taps' | 'windows' | 'conv' | 'patches';

/**
 * Which form of dw ORT's CPU kernels run fastest for these shapes, from
 * tools/bench/conv-filter-grad.mjs on the study's networks (docs/performance.md):
 * - patches when the filter has taps to gather and O <= 2 H'W': its extra
 *   cost is the per-image products [C KH KW, O], small beside the patches
 *   [C KH KW, H'W'] then (the small CNN's layers 3-30x faster than taps; the
 *   first ResNet-18 stages 1.1-3.7x);
 * - windows (conv2d-backprop-filter-windows.ts) otherwise at stride 1 with dy
 *   the size of x: ResNet-18's deep stages, where H'W' is 16-64 (8x8 layers
 *   50 -> 40 ms in the step's profile, 4x4 49 -> 45);
 * - taps otherwise (1x1 shortcuts, the deep stages' strided layers).
 * The one-Conv form ('conv') was slower than patches on every shape measured.
 */
export function filterGradForm(x: Shape, dy: Shape, kernel: readonly number[], strides: readonly number[]): FilterGradForm {
  const [, o, oh, ow] = dy as [number, number, number, number];
  const taps = kernel.reduce((a, b) => a * b, 1);
  if (taps > 1 && o <= 2 * oh * ow) return 'patches';
  return taps > 1 && windowsApply(x, dy, strides) ? 'windows' : 'taps';
}

export const FILTER_GRAD_FORMS: Readonly<Record<FilterGradForm, Lowering<'conv2dBackpropFilter'>>> = {
  taps: conv2dBackpropFilterLowering,
  windows: conv2dBackpropFilterWindowsLowering,
  conv: conv2dBackpropFilterConvLowering,
  patches: conv2dBackpropFilterPatchesLowering,
};

/** The CPU provider's conv2dBackpropFilter: the form filterGradForm picks for the node's shapes. */
export const cpuConv2dBackpropFilterLowering: Lowering<'conv2dBackpropFilter'> = (graph, node, inputs, types) =>
  FILTER_GRAD_FORMS[filterGradForm(types[0]!.shape, types[1]!.shape, node.attrs.filterShape.slice(2), node.attrs.strides)](graph, node, inputs, types);
