import type { GraphNode, NodeId, OpNode } from '../ir/graph.js';
import { shapesEqual } from '../ir/shape.js';
import type { Program } from '../program/program.js';
import { copyOp, rewriteProgram, type GraphPass, type Rewriter } from './graph-pass.js';

const isOp = <K extends OpNode['op']>(node: GraphNode, op: K): node is OpNode<K> => node.kind === 'op' && node.op === op;

/** A constant that fills its tensor with `value`. */
const isFill = (node: GraphNode, value: number): boolean => isOp(node, 'constant') && node.attrs.value === value;

const sameType = (a: GraphNode, b: { readonly dtype: string; readonly shape: readonly number[] }): boolean => a.dtype === b.dtype && shapesEqual(a.shape, b.shape);

/**
 * One node's simplification, or undefined to keep it. Only rewrites that give
 * the same bits: no-op reshapes, broadcasts and casts; a reshape of a
 * reshape; a transpose of a transpose; neg(neg(x)); x * 1 and x / 1 where the
 * result has x's type. (Not x + 0: it turns -0 into +0.)
 */
function simplify(node: OpNode, inputs: readonly NodeId[], r: Rewriter): NodeId | undefined {
  const x = inputs[0] === undefined ? undefined : r.node(inputs[0]);
  switch (node.op) {
    case 'reshape':
    case 'broadcastTo':
    case 'cast':
      if (x && sameType(x, node)) return x.id;
      if (x && node.op === 'reshape' && isOp(x, 'reshape')) {
        const source = r.node(x.inputs[0]!);
        return sameType(source, node) ? source.id : r.add('reshape', [source.id], { shape: node.shape }, node.label);
      }
      return undefined;
    case 'transpose': {
      const perm = (node as OpNode<'transpose'>).attrs.perm;
      if (perm.every((p, i) => p === i)) return x!.id;
      if (x && isOp(x, 'transpose')) {
        // Output axis i of the outer is its input's axis perm[i], which is the inner's input axis inner[perm[i]].
        const composed = perm.map((p) => x.attrs.perm[p]!);
        return composed.every((p, i) => p === i) ? x.inputs[0]! : r.add('transpose', [x.inputs[0]!], { perm: composed }, node.label);
      }
      return undefined;
    }
    case 'neg':
      return x && isOp(x, 'neg') ? x.inputs[0]! : undefined;
    case 'mul':
    case 'div': {
      const [a, b] = inputs.map((i) => r.node(i)) as [GraphNode, GraphNode];
      if (isFill(b, 1) && sameType(a, node)) return a.id;
      if (node.op === 'mul' && isFill(a, 1) && sameType(b, node)) return b.id;
      return undefined;
    }
    default:
      return undefined;
  }
}

/** Algebraic simplification of the traced and differentiated graph (see `simplify`). */
export const algebraicSimplification: GraphPass = {
  name: 'algebraic-simplification',
  run: (program: Program) => rewriteProgram(program, (node, inputs, r) => simplify(node, inputs, r) ?? copyOp(node, inputs, r)),
};
