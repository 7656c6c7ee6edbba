import type { Lowering } from './lowering.js';

/** ONNX Pad takes all the 'before' amounts, then all the 'after' amounts; constant mode pads zeros. */
export const padLowering: Lowering<'pad'> = (graph, node, [x]) => {
  const { pads } = node.attrs;
  return graph.op('Pad', [x!, graph.int64s([...pads.map((p) => p[0]!), ...pads.map((p) => p[1]!)])]);
};
