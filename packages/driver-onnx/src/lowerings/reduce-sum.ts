import type { Lowering } from './lowering.js';

// Opset 13+: axes are an int64 input.
export const reduceSumLowering: Lowering<'reduceSum'> = (graph, node, [x]) =>
  graph.op('ReduceSum', [x!, graph.int64s(node.attrs.axes)], { keepdims: { int: node.attrs.keepDims ? 1 : 0 } });
