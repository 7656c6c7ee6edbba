import { stridesOf, type Shape } from '@ltssl/core';

/**
 * Strides of `shape` aligned to an output of rank `rank`, with stride 0 on the
 * axes it is broadcast along (NumPy rules): flat input index = sum(idx * stride).
 */
export function broadcastStrides(shape: Shape, rank: number): number[] {
  const own = stridesOf(shape);
  const offset = rank - shape.length;
  return Array.from({ length: rank }, (_, i) => (i < offset || shape[i - offset] === 1 ? 0 : own[i - offset]!));
}

/**
 * Calls `visit(outIndex, offsets)` for every element of `outShape` in row-major
 * order, with the flat offsets into each operand given its per-axis strides.
 */
export function forEachIndex(outShape: Shape, operandStrides: readonly (readonly number[])[], visit: (out: number, offsets: readonly number[]) => void): void {
  const rank = outShape.length;
  let size = 1;
  for (const d of outShape) size *= d;
  const index = new Array<number>(rank).fill(0);
  const offsets = operandStrides.map(() => 0);
  for (let out = 0; out < size; out++) {
    visit(out, offsets);
    // Advance the multi-index like an odometer, keeping each operand's offset in step.
    for (let axis = rank - 1; axis >= 0; axis--) {
      index[axis]!++;
      for (let k = 0; k < offsets.length; k++) offsets[k]! += operandStrides[k]![axis]!;
      if (index[axis]! < outShape[axis]!) break;
      for (let k = 0; k < offsets.length; k++) offsets[k]! -= operandStrides[k]![axis]! * outShape[axis]!;
      index[axis] = 0;
    }
  }
}
