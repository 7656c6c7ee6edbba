import type { OpName } from '@ltssl/core';
import { onnxType } from '../lower/onnx-graph.js';
import type { Lowering } from './lowering.js';

/** ONNX comparisons return bool; the IR's return 1/0 in the inputs' dtype, hence the Cast. */
export function comparison<K extends OpName>(opType: 'Greater' | 'Equal'): Lowering<K> {
  return (graph, node, inputs) => graph.op('Cast', [graph.op(opType, inputs)], { to: { int: onnxType(node.dtype) } });
}
