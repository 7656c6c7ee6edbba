import { mul, ones, reshape, type Tensor } from '@tensorflow/tfjs-core';

/**
 * x repeated up to `shape` (x already at that rank). tfjs's BroadcastTo runs
 * the wasm backend's Tile kernel, about 50x slower than a broadcasting
 * multiply by ones, which gives the same values (NaN, infinities and -0 kept).
 */
export function broadcastFast(x: Tensor, shape: readonly number[]): Tensor {
  if (x.shape.every((d, i) => d === shape[i])) return x;
  return mul(x, ones([...shape], x.dtype));
}

/** A single-element operand as a scalar: the wasm backend's comparisons are fast only for scalars and equal shapes. */
export function scalarIfSingle(x: Tensor): Tensor {
  return x.size === 1 && x.rank > 0 ? reshape(x, []) : x;
}

/** True when a binary op's operands are equal in shape or one is a scalar: the fast paths. */
export function plainOperands(a: Tensor, b: Tensor): boolean {
  return a.rank === 0 || b.rank === 0 || (a.rank === b.rank && a.shape.every((d, i) => d === b.shape[i]));
}
