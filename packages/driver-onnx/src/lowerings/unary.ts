import type { OpName } from '@ltssl/core';
import type { Lowering } from './lowering.js';

/** A primitive that is exactly one ONNX op of the same inputs and no attributes. */
export function direct<K extends OpName>(opType: string): Lowering<K> {
  return (graph, _node, inputs) => graph.op(opType, inputs);
}
