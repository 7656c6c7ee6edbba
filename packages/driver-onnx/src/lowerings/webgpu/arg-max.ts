import { ONNX_TYPE } from '../../lower/onnx-graph.js';
import type { Lowering } from '../lowering.js';

/**
 * argMax for ORT's WebGPU provider. ONNX ArgMax returns int64, and the provider
 * has no Cast from int64, so the CPU lowering's ArgMax -> Cast(int32) ran its
 * Cast on the CPU provider, a device round trip per prediction batch. Here the
 * first maximum's index comes from ops the provider runs: the positions where x
 * equals its maximum keep their index, the others K, and the minimum is the first
 * maximum's index (exact in float32 for K < 2^24), cast from float to int32.
 */
export const argMaxWebGpuLowering: Lowering<'argMax'> = (graph, node, [x], [type]) => {
  const shape = type!.shape;
  const axis = node.attrs.axis;
  const size = shape[axis]!;
  const axes = graph.int64s([axis]);
  const max = graph.op('ReduceMax', [x!, axes], { keepdims: { int: 1 } }); // [.., 1, ..]
  // positions: 0 .. K-1 along the axis, 1 elsewhere so it broadcasts against x.
  const positions = graph.constant('float32', shape.map((d, i) => (i === axis ? d : 1)), Array.from({ length: size }, (_, i) => i));
  const beyond = graph.constant('float32', [], [size]);
  const candidates = graph.op('Where', [graph.op('Equal', [x!, max]), positions, beyond]); // x's shape: index at a maximum, else K
  const first = graph.op('ReduceMin', [candidates, axes], { keepdims: { int: node.attrs.keepDims ? 1 : 0 } });
  return graph.op('Cast', [first], { to: { int: ONNX_TYPE.int32 } });
};
