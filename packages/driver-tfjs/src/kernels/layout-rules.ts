import type { OpName, Shape, TensorType } from '@ltssl/core';
import { conversionCost, identity, permKey, sameMemory, type Perm } from '../layout/perm.js';
import type { LayoutChoice, LayoutQuery, TfjsKernel } from './kernel.js';

const size = (shape: Shape): number => shape.reduce((n, d) => n * d, 1);

/**
 * The output layout for an op that computes the same in any layout (all
 * inputs brought into it, broadcast operands padded): the candidate that
 * moves the fewest elements, counting the inputs it must transpose now and
 * the output a consumer would transpose later if the layout is not the one
 * it wants. Ties go to the wanted layout, then to the inputs' own.
 */
export function cheapestLayout(shape: Shape, inputs: readonly { type: TensorType; perm: Perm }[], want: Perm | undefined): Perm {
  const rank = shape.length;
  const candidates: Perm[] = [];
  const seen = new Set<string>();
  for (const c of [want, ...inputs.filter((i) => i.type.shape.length === rank).map((i) => i.perm), identity(rank)]) {
    if (c && c.length === rank && !seen.has(permKey(c))) {
      seen.add(permKey(c));
      candidates.push(c);
    }
  }
  let best = candidates[0]!;
  let bestCost = Infinity;
  for (const c of candidates) {
    let cost = inputs.reduce((sum, i) => sum + conversionCost(i.type.shape, i.perm, c), 0);
    if (want && !sameMemory(shape, c, want)) cost += size(shape);
    if (cost < bestCost) {
      best = c;
      bestCost = cost;
    }
  }
  return best;
}

type Demand<K extends OpName> = TfjsKernel<K>['demand'];

/** Consumers' wish passes to every input of the output's rank. */
export const passDemand = <K extends OpName>(): Demand<K> => (node, inputs, want) => inputs.map((t) => (want && t.shape.length === node.shape.length ? want : undefined));

/** The op has no wish for its inputs' layouts. */
export const noDemand = <K extends OpName>(): Demand<K> => (_node, inputs) => inputs.map(() => undefined);

/** Element-wise ops (unary and broadcasting binary): every input in the output's layout. */
export function elementwiseLayout<K extends OpName>(q: LayoutQuery<K>): LayoutChoice<K> {
  const output = cheapestLayout(q.node.shape, q.inputs, q.want);
  return { inputs: q.inputs.map(() => output), output, attrs: q.node.attrs };
}

/** Ops that need every input and their output in fixed layouts (convolutions, matmul's output, reshape). */
export function fixedLayout<K extends OpName>(inputs: readonly Perm[], output: Perm): (q: LayoutQuery<K>) => LayoutChoice<K> {
  return (q) => ({ inputs, output, attrs: q.node.attrs });
}

/** The IR layout for every input and the output. */
export function logicalLayout<K extends OpName>(q: LayoutQuery<K>): LayoutChoice<K> {
  return { inputs: q.inputs.map((i) => identity(i.type.shape.length)), output: identity(q.node.shape.length), attrs: q.node.attrs };
}

