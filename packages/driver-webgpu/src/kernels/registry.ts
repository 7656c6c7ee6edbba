import type { OpName } from '@ltssl/core';
import type { Kernel } from './kernel.js';
import { addKernel } from './add.js';
import { argMaxKernel } from './arg-max.js';
import { broadcastToKernel } from './broadcast-to.js';
import { castKernel } from './cast.js';
import { concatKernel } from './concat.js';
import { constantKernel } from './constant.js';
import { conv2dKernel } from './conv2d.js';
import { conv2dBackpropFilterKernel } from './conv2d-backprop-filter.js';
import { conv2dBackpropInputKernel } from './conv2d-backprop-input.js';
import { divKernel } from './div.js';
import { equalKernel } from './equal.js';
import { expKernel } from './exp.js';
import { greaterKernel } from './greater.js';
import { logKernel } from './log.js';
import { matmulKernel } from './matmul.js';
import { maximumKernel } from './maximum.js';
import { mulKernel } from './mul.js';
import { negKernel } from './neg.js';
import { padKernel } from './pad.js';
import { reduceMaxKernel } from './reduce-max.js';
import { reduceSumKernel } from './reduce-sum.js';
import { reluKernel } from './relu.js';
import { reshapeKernel } from './reshape.js';
import { sliceKernel } from './slice.js';
import { sqrtKernel } from './sqrt.js';
import { stopGradientKernel } from './stop-gradient.js';
import { subKernel } from './sub.js';
import { transposeKernel } from './transpose.js';

/**
 * One kernel (or kernel family) per primitive op, in one explicit list. The
 * mapped type makes an op without a kernel a type error.
 */
export const KERNELS: { readonly [K in OpName]: Kernel<K> } = {
  constant: constantKernel,
  neg: negKernel,
  exp: expKernel,
  log: logKernel,
  sqrt: sqrtKernel,
  relu: reluKernel,
  stopGradient: stopGradientKernel,
  cast: castKernel,
  add: addKernel,
  sub: subKernel,
  mul: mulKernel,
  div: divKernel,
  maximum: maximumKernel,
  greater: greaterKernel,
  equal: equalKernel,
  reduceSum: reduceSumKernel,
  reduceMax: reduceMaxKernel,
  argMax: argMaxKernel,
  reshape: reshapeKernel,
  transpose: transposeKernel,
  broadcastTo: broadcastToKernel,
  slice: sliceKernel,
  pad: padKernel,
  concat: concatKernel,
  matmul: matmulKernel,
  conv2d: conv2dKernel,
  conv2dBackpropInput: conv2dBackpropInputKernel,
  conv2dBackpropFilter: conv2dBackpropFilterKernel,
};
