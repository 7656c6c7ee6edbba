import type { AttrsOf, NodeId, OpName, OpNode } from '@ltssl/core';
import type { Lowering } from '../lowerings/lowering.js';
import type { BatchAxes } from './batch-axes.js';

/**
 * The lowerings whose ONNX constants hold a shape, written so that the batch
 * dimension is read from the data instead of fixed at the traced size. Every
 * other lowering's constants are weights, axes or per-channel shapes, which
 * the batch does not touch (conv2d takes its kernel shape from the filter;
 * the two convolution gradients' shape constants are refused by batchAxes,
 * or carry no batch).
 */
export function batchLowering(node: OpNode, axes: BatchAxes): Lowering<OpName> | undefined {
  const axis = axes.get(node.id);
  if (axis === undefined) return undefined;
  const inputAxis = (i: number): number | undefined => axes.get(node.inputs[i]! as NodeId);
  switch (node.op) {
    case 'reshape':
      // -1 where the batch is: ONNX infers it from the element count, every other axis is fixed.
      return ((graph, n: OpNode<'reshape'> & { attrs: AttrsOf<'reshape'> }, [x]) => graph.op('Reshape', [x!, graph.int64s(n.attrs.shape.map((d, i) => (i === axis ? -1 : d)))])) as Lowering<OpName>;
    case 'broadcastTo':
      // Expand broadcasts both ways, so 1 keeps the input's own batch dimension.
      return ((graph, n: OpNode<'broadcastTo'> & { attrs: AttrsOf<'broadcastTo'> }, [x]) => graph.op('Expand', [x!, graph.int64s(n.attrs.shape.map((d, i) => (i === axis ? 1 : d)))])) as Lowering<OpName>;
    case 'slice': {
      // batchAxes allows only the whole batch axis: it is left out of the sliced axes.
      const kept = inputAxis(0);
      return ((graph, n: OpNode<'slice'> & { attrs: AttrsOf<'slice'> }, [x]) => {
        const { begin, size } = n.attrs;
        const sliced = begin.map((_, i) => i).filter((i) => i !== kept);
        if (sliced.length === 0) return graph.op('Identity', [x!]);
        return graph.op('Slice', [x!, graph.int64s(sliced.map((i) => begin[i]!)), graph.int64s(sliced.map((i) => begin[i]! + size[i]!)), graph.int64s(sliced)]);
      }) as Lowering<OpName>;
    }
    default:
      return undefined;
  }
}
