import type { Lowering } from './lowering.js';

export const concatLowering: Lowering<'concat'> = (graph, node, inputs) => graph.op('Concat', inputs, { axis: { int: node.attrs.axis } });
