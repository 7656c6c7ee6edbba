import type { Lowering } from './lowering.js';

export const reshapeLowering: Lowering<'reshape'> = (graph, node, [x]) => graph.op('Reshape', [x!, graph.int64s(node.attrs.shape)]);
