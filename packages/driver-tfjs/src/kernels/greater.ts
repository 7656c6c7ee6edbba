import { cast, greater, scalar, sub } from '@tensorflow/tfjs-core';
import { plainOperands, scalarIfSingle } from './broadcast.js';
import { binaryKernel } from './elementwise.js';

/**
 * tfjs returns bool; the IR's 1/0 is in the inputs' dtype. With a broadcast
 * other than a scalar, the wasm backend's Greater takes a slow generic path
 * (25x), so floats compare a - b > 0 instead: the same answer in IEEE 754
 * (a - b is 0 only when a == b, overflow keeps the sign, and NaN, from a NaN
 * input or inf - inf, compares false as a > b does).
 */
export const greaterKernel = binaryKernel<'greater'>((a, b) => {
  const [x, y] = [scalarIfSingle(a), scalarIfSingle(b)];
  const mask = plainOperands(x, y) || a.dtype === 'int32' ? greater(x, y) : greater(sub(x, y), scalar(0));
  return cast(mask, a.dtype);
});
