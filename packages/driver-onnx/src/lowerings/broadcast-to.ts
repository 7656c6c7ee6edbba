import type { Lowering } from './lowering.js';

export const broadcastToLowering: Lowering<'broadcastTo'> = (graph, node, [x]) => graph.op('Expand', [x!, graph.int64s(node.attrs.shape)]);
