import type { OnnxGraph } from '../../lower/onnx-graph.js';

/**
 * `value` (float32, any shape), made to wait for `anchor` (float32, rank
 * `anchorRank`): value + 0 * anchor[0, ..., 0], the same bits whenever that
 * element is finite (x + ±0 is x for every x).
 *
 * Why: ORT runs a session's nodes in a reverse depth-first order from the
 * graph's outputs that visits higher node indices first, and its optimizer
 * gives the nodes it creates (NCHWc convolutions, fused MatMuls) new, higher
 * indices; JavaScript cannot choose another order. A backward-pass subgraph
 * that reads only forward values can so run during the forward pass and keep
 * its buffers alive until the backward reaches it: ResNet-18's patches (288 MiB
 * a layer) were three at once, 2.36 GiB peak RSS a step instead of 1.82. A data
 * dependence on the gradient that arrives last is the one order ORT respects.
 * A non-finite anchor element makes the result NaN, where the gradient would
 * already carry NaN or Inf.
 */
export function afterValue(graph: OnnxGraph, value: string, anchor: string, anchorRank: number): string {
  const zeros = new Array<number>(anchorRank).fill(0);
  const first = graph.op('Reshape', [graph.op('Slice', [anchor, graph.int64s(zeros), graph.int64s(zeros.map(() => 1))]), graph.int64s([1])]); // [1]
  return graph.op('Add', [value, graph.op('Mul', [first, graph.constant('float32', [1], [0])])]); // value's shape
}
