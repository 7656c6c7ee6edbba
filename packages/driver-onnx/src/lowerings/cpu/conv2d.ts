import type { Lowering } from '../lowering.js';
import type { ConvEmitter } from './nchwc-conv.js';

/** The CPU provider's conv2d: the profile's Conv (NCHWc where the machine has it, nchwc-conv.ts). */
export function cpuConv2dLowering(conv: ConvEmitter): Lowering<'conv2d'> {
  return (graph, node, [x, w], [, wType]) => conv(graph, x!, w!, wType!.shape, node.attrs); // [N, O, H', W']
}
