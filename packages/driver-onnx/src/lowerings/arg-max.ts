import { ONNX_TYPE } from '../lower/onnx-graph.js';
import type { Lowering } from './lowering.js';

/** ONNX ArgMax returns int64 and, with select_last_index 0, the first maximum, as the IR. */
export const argMaxLowering: Lowering<'argMax'> = (graph, node, inputs) => {
  const index = graph.op('ArgMax', inputs, { axis: { int: node.attrs.axis }, keepdims: { int: node.attrs.keepDims ? 1 : 0 }, select_last_index: { int: 0 } });
  return graph.op('Cast', [index], { to: { int: ONNX_TYPE.int32 } });
};
