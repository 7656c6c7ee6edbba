import type { Lowering } from './lowering.js';

export const sliceLowering: Lowering<'slice'> = (graph, node, [x]) => {
  const { begin, size } = node.attrs;
  return graph.op('Slice', [x!, graph.int64s(begin), graph.int64s(begin.map((b, i) => b + size[i]!)), graph.int64s(begin.map((_, i) => i))]);
};
