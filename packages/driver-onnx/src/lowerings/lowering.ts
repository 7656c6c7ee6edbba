import type { AttrsOf, OpName, OpNode, TensorType } from '@ltssl/core';
import type { OnnxGraph } from '../lower/onnx-graph.js';

/**
 * One primitive as ONNX nodes: given the ONNX names (and IR types) of its
 * inputs, append nodes to `graph` and return the name of the value that holds
 * the op's output, in the op's dtype and shape.
 */
export type Lowering<K extends OpName> = (graph: OnnxGraph, node: OpNode<K> & { attrs: AttrsOf<K> }, inputs: readonly string[], types: readonly TensorType[]) => string;
