import type { OpName } from '@ltssl/core';
import { addLowering } from './add.js';
import { argMaxLowering } from './arg-max.js';
import { broadcastToLowering } from './broadcast-to.js';
import { castLowering } from './cast.js';
import { concatLowering } from './concat.js';
import { constantLowering } from './constant.js';
import { conv2dLowering } from './conv2d.js';
import { conv2dBackpropFilterLowering } from './conv2d-backprop-filter.js';
import { conv2dBackpropInputLowering } from './conv2d-backprop-input.js';
import { divLowering } from './div.js';
import { equalLowering } from './equal.js';
import { expLowering } from './exp.js';
import { greaterLowering } from './greater.js';
import { logLowering } from './log.js';
import type { Lowering } from './lowering.js';
import { matmulLowering } from './matmul.js';
import { maximumLowering } from './maximum.js';
import { mulLowering } from './mul.js';
import { negLowering } from './neg.js';
import { padLowering } from './pad.js';
import { reduceMaxLowering } from './reduce-max.js';
import { reduceSumLowering } from './reduce-sum.js';
import { reluLowering } from './relu.js';
import { reshapeLowering } from './reshape.js';
import { sliceLowering } from './slice.js';
import { sqrtLowering } from './sqrt.js';
import { stopGradientLowering } from './stop-gradient.js';
import { subLowering } from './sub.js';
import { transposeLowering } from './transpose.js';

/**
 * Every primitive's lowering to standard ONNX ops (opset 18), one per file.
 * Partial by type, so a missing entry is reported at compile time as
 * "Op 'X' not implemented by driver 'onnx'".
 */
export const LOWERINGS: { readonly [K in OpName]?: Lowering<K> } = {
  constant: constantLowering,
  neg: negLowering,
  exp: expLowering,
  log: logLowering,
  sqrt: sqrtLowering,
  relu: reluLowering,
  stopGradient: stopGradientLowering,
  cast: castLowering,
  add: addLowering,
  sub: subLowering,
  mul: mulLowering,
  div: divLowering,
  maximum: maximumLowering,
  greater: greaterLowering,
  equal: equalLowering,
  reduceSum: reduceSumLowering,
  reduceMax: reduceMaxLowering,
  argMax: argMaxLowering,
  reshape: reshapeLowering,
  transpose: transposeLowering,
  broadcastTo: broadcastToLowering,
  slice: sliceLowering,
  pad: padLowering,
  concat: concatLowering,
  matmul: matmulLowering,
  conv2d: conv2dLowering,
  conv2dBackpropInput: conv2dBackpropInputLowering,
  conv2dBackpropFilter: conv2dBackpropFilterLowering,
};
