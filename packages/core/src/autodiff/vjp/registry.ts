import type { OpName } from '../../ops/registry.js';
import { addVjp } from './add.js';
import { broadcastToVjp } from './broadcast-to.js';
import { castVjp } from './cast.js';
import { concatVjp } from './concat.js';
import { conv2dVjp } from './conv2d.js';
import { conv2dBackpropFilterVjp } from './conv2d-backprop-filter.js';
import { conv2dBackpropInputVjp } from './conv2d-backprop-input.js';
import { divVjp } from './div.js';
import { expVjp } from './exp.js';
import { logVjp } from './log.js';
import { matmulVjp } from './matmul.js';
import { maximumVjp } from './maximum.js';
import { mulVjp } from './mul.js';
import { negVjp } from './neg.js';
import { padVjp } from './pad.js';
import { reduceMaxVjp } from './reduce-max.js';
import { reduceSumVjp } from './reduce-sum.js';
import { reluVjp } from './relu.js';
import { reshapeVjp } from './reshape.js';
import { sliceVjp } from './slice.js';
import { sqrtVjp } from './sqrt.js';
import { stopGradientVjp } from './stop-gradient.js';
import { subVjp } from './sub.js';
import { transposeVjp } from './transpose.js';
import type { NotDifferentiable, VjpRule } from './vjp-rule.js';

/**
 * One VJP rule per primitive, in one explicit list; the mapped type makes a
 * new op without a rule (or a stated reason) a compile error.
 */
export const VJPS: { readonly [K in OpName]: VjpRule<K> | NotDifferentiable } = {
  constant: { notDifferentiable: 'it has no inputs' },
  neg: negVjp,
  exp: expVjp,
  log: logVjp,
  sqrt: sqrtVjp,
  relu: reluVjp,
  stopGradient: stopGradientVjp,
  cast: castVjp,
  add: addVjp,
  sub: subVjp,
  mul: mulVjp,
  div: divVjp,
  maximum: maximumVjp,
  greater: { notDifferentiable: 'piecewise constant: the gradient is zero almost everywhere' },
  equal: { notDifferentiable: 'piecewise constant: the gradient is zero almost everywhere' },
  reduceSum: reduceSumVjp,
  reduceMax: reduceMaxVjp,
  argMax: { notDifferentiable: 'integer output' },
  reshape: reshapeVjp,
  transpose: transposeVjp,
  broadcastTo: broadcastToVjp,
  slice: sliceVjp,
  pad: padVjp,
  concat: concatVjp,
  matmul: matmulVjp,
  conv2d: conv2dVjp,
  conv2dBackpropInput: conv2dBackpropInputVjp,
  conv2dBackpropFilter: conv2dBackpropFilterVjp,
};

export function isDifferentiable(op: OpName): boolean {
  return !('notDifferentiable' in VJPS[op]);
}
