import type { DType } from './dtype.js';
import { formatShape, type Shape } from './shape.js';

/** What the IR knows statically about a value: its element type and shape. */
export interface TensorType {
  readonly dtype: DType;
  readonly shape: Shape;
}

export function formatType(type: TensorType): string {
  return `${type.dtype}${formatShape(type.shape)}`;
}
