import type { Attrs, OpDef } from '../ir/op-def.js';
import { add } from './add.js';
import { argMax } from './arg-max.js';
import { broadcastTo } from './broadcast-to.js';
import { cast } from './cast.js';
import { concat } from './concat.js';
import { constant } from './constant.js';
import { conv2d } from './conv2d.js';
import { conv2dBackpropFilter } from './conv2d-backprop-filter.js';
import { conv2dBackpropInput } from './conv2d-backprop-input.js';
import { div } from './div.js';
import { equal } from './equal.js';
import { exp } from './exp.js';
import { greater } from './greater.js';
import { log } from './log.js';
import { matmul } from './matmul.js';
import { maximum } from './maximum.js';
import { mul } from './mul.js';
import { neg } from './neg.js';
import { pad } from './pad.js';
import { reduceMax } from './reduce-max.js';
import { reduceSum } from './reduce-sum.js';
import { relu } from './relu.js';
import { reshape } from './reshape.js';
import { slice } from './slice.js';
import { sqrt } from './sqrt.js';
import { stopGradient } from './stop-gradient.js';
import { sub } from './sub.js';
import { transpose } from './transpose.js';

/**
 * The op set: every primitive a driver implements, in one explicit list.
 * Composite operations (BatchNorm, softmax, cross-entropy, normalisation) are
 * written in these by the tracing layer, never added here.
 */
export const OPS = {
  // sources
  constant,
  // element-wise, one input
  neg,
  exp,
  log,
  sqrt,
  relu,
  stopGradient,
  cast,
  // element-wise, two inputs with broadcasting
  add,
  sub,
  mul,
  div,
  maximum,
  greater,
  equal,
  // reductions
  reduceSum,
  reduceMax,
  argMax,
  // layout
  reshape,
  transpose,
  broadcastTo,
  slice,
  pad,
  concat,
  // contractions
  matmul,
  conv2d,
  conv2dBackpropInput,
  conv2dBackpropFilter,
} as const;

export type OpName = keyof typeof OPS;
export type AttrsOf<K extends OpName> = (typeof OPS)[K] extends OpDef<infer A> ? A : never;

export const OP_NAMES = Object.keys(OPS) as OpName[];

export function isOpName(name: string): name is OpName {
  return Object.hasOwn(OPS, name);
}

export function opDef(name: OpName): OpDef<Attrs> {
  return OPS[name] as unknown as OpDef<Attrs>;
}
