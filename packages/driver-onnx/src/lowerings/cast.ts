import { onnxType } from '../lower/onnx-graph.js';
import type { Lowering } from './lowering.js';

// ONNX Cast truncates float -> int toward zero, as the IR defines it.
export const castLowering: Lowering<'cast'> = (graph, node, inputs) => graph.op('Cast', inputs, { to: { int: onnxType(node.attrs.to) } });
