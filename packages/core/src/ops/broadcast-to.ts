import type { OpDef } from '../ir/op-def.js';
import { broadcastsTo, formatShape, type Shape } from '../ir/shape.js';
import { requireIntArray } from './checks.js';

export type BroadcastToAttrs = {
  readonly shape: Shape;
};

/** Repeats size-1 (or missing leading) axes up to a target shape, NumPy rules. */
export const broadcastTo: OpDef<BroadcastToAttrs> = {
  name: 'broadcastTo',
  inputs: ['x'],
  doc: {
    summary: 'Repeats x along its size-1 axes (and new leading axes) up to the given shape.',
    attrs: { shape: 'the target shape; rank >= rank(x), and x broadcasts to it by NumPy rules' },
    shape: 'dtype of x; the given shape',
    vjp: 'gx = sumTo(g, shape(x)): reduceSum over the broadcast axes, then reshape',
  },
  infer([x], attrs, fail) {
    const shape = requireIntArray(attrs.shape, 'shape', fail, undefined, 0);
    if (!broadcastsTo(x!.shape, shape)) {
      fail(`${formatShape(x!.shape)} does not broadcast to ${formatShape(shape)}: aligned from the right, each dim of x must be 1 or equal the target's`);
    }
    return { type: { dtype: x!.dtype, shape }, attrs: { shape } };
  },
};
