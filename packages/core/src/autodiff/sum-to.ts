import { broadcastAxes, shapesEqual, type Shape } from '../ir/shape.js';
import type { Tensor } from '../trace/tensor.js';

/**
 * Sums a broadcast result's cotangent back to the operand's shape: reduceSum
 * over the axes broadcasting added or expanded, then reshape. Every
 * broadcasting op's VJP goes through here.
 */
export function sumTo(g: Tensor, shape: Shape): Tensor {
  if (shapesEqual(g.shape, shape)) return g;
  const summed = g.sum(broadcastAxes(shape, g.shape), true);
  return summed.reshape(shape);
}
