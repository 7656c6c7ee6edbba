import type { NodeId } from '../ir/graph.js';
import type { OpName } from '../ops/registry.js';
import type { Program } from '../program/program.js';
import { copyOp, rewriteProgram, type GraphPass } from './graph-pass.js';

/** Ops whose two inputs can swap without changing a bit of the result (IEEE add and mul are commutative). */
const COMMUTATIVE: ReadonlySet<OpName> = new Set(['add', 'mul', 'maximum', 'equal']);

/**
 * Common subexpressions: two op nodes with the same op, the same inputs and
 * the same attributes (in normal form) compute the same value, so the second
 * reads the first. Autodiff and the modules repeat many constants (eps, 1/n,
 * momentum factors) and a few products; ORT folds some of them itself, the
 * other drivers run what they are given.
 */
export const commonSubexpressions: GraphPass = {
  name: 'common-subexpressions',
  run: (program: Program) => {
    const seen = new Map<string, NodeId>();
    return rewriteProgram(program, (node, inputs, r) => {
      const ids = COMMUTATIVE.has(node.op) ? [...inputs].sort((a, b) => a - b) : inputs;
      const key = `${node.op}(${ids.join(',')})${JSON.stringify(node.attrs)}`;
      const known = seen.get(key);
      if (known !== undefined) return known;
      const id = copyOp(node, inputs, r);
      seen.set(key, id);
      return id;
    });
  },
};
