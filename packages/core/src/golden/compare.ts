import { formatShape, shapesEqual } from '../ir/shape.js';
import type { DType } from '../ir/dtype.js';

export interface Tolerance {
  /** Relative tolerance: |actual - expected| <= atol + rtol * |expected|. */
  readonly rtol: number;
  readonly atol: number;
}

export interface ComparedTensor {
  readonly dtype: DType;
  readonly shape: readonly number[];
  readonly data: ArrayLike<number>;
}

/**
 * Why `actual` differs from `expected` beyond the tolerance (dtype, shape, or
 * the worst element with its index), or undefined when they agree. int32
 * compares exactly; NaN matches only NaN.
 */
export function compareTensors(actual: ComparedTensor, expected: ComparedTensor, tolerance: Tolerance): string | undefined {
  if (actual.dtype !== expected.dtype) return `dtype ${actual.dtype}, expected ${expected.dtype}`;
  if (!shapesEqual(actual.shape, expected.shape)) return `shape ${formatShape(actual.shape)}, expected ${formatShape(expected.shape)}`;
  if (actual.data.length !== expected.data.length) return `${actual.data.length} elements, expected ${expected.data.length}`;
  const exact = expected.dtype === 'int32';
  let worst = -1;
  let worstExcess = 0;
  for (let i = 0; i < expected.data.length; i++) {
    const a = actual.data[i]!;
    const e = expected.data[i]!;
    if (Number.isNaN(e) || Number.isNaN(a)) {
      if (Number.isNaN(e) !== Number.isNaN(a)) return `element ${i} is ${a}, expected ${e}`;
      continue;
    }
    const allowed = exact ? 0 : tolerance.atol + tolerance.rtol * Math.abs(e);
    const excess = Math.abs(a - e) - allowed;
    if (excess > worstExcess || (exact && a !== e)) {
      worst = i;
      worstExcess = excess;
      if (exact) break;
    }
  }
  if (worst < 0) return undefined;
  const a = actual.data[worst]!;
  const e = expected.data[worst]!;
  return `element ${worst} is ${a}, expected ${e} (|diff| ${Math.abs(a - e).toExponential(3)} > ${exact ? 0 : (tolerance.atol + tolerance.rtol * Math.abs(e)).toExponential(3)})`;
}
