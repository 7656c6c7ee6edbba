import { broadcastTo, cast, equal, type Tensor } from '@tensorflow/tfjs-core';
import { broadcastFast, plainOperands, scalarIfSingle } from './broadcast.js';
import { binaryKernel } from './elementwise.js';

/** The shape two operands broadcast to (both at one rank here: the layout pass pads them). */
const joint = (a: Tensor, b: Tensor): number[] => a.shape.map((d, i) => Math.max(d, b.shape[i]!));

/**
 * tfjs returns bool; the IR's 1/0 is in the inputs' dtype. The wasm
 * backend's Equal is slow when it broadcasts anything but a scalar, so such
 * operands are broadcast first (float by multiplying with ones; int32, small
 * label masks, by tfjs's broadcastTo).
 */
export const equalKernel = binaryKernel<'equal'>((a, b) => {
  let [x, y] = [scalarIfSingle(a), scalarIfSingle(b)];
  if (!plainOperands(x, y)) {
    const shape = joint(a, b);
    [x, y] = a.dtype === 'int32' ? [broadcastTo(a, shape), broadcastTo(b, shape)] : [broadcastFast(a, shape), broadcastFast(b, shape)];
  }
  return cast(equal(x, y), a.dtype);
});
