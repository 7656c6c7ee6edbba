import type { Lowering } from './lowering.js';

export const transposeLowering: Lowering<'transpose'> = (graph, node, inputs) => graph.op('Transpose', inputs, { perm: { ints: node.attrs.perm } });
