import type { Lowering } from './lowering.js';

// Opset 18+: axes are an int64 input.
export const reduceMaxLowering: Lowering<'reduceMax'> = (graph, node, [x]) =>
  graph.op('ReduceMax', [x!, graph.int64s(node.attrs.axes)], { keepdims: { int: node.attrs.keepDims ? 1 : 0 } });
