import { allocate, dtypeOfArray, type DType, type TypedArrayByDType } from '../ir/dtype.js';
import { formatShape, isShape, sizeOf, type Shape } from '../ir/shape.js';

/** A tensor in host memory: what crosses the driver boundary in feeds, fetches and state dicts. */
export interface HostTensor<D extends DType = DType> {
  readonly dtype: D;
  readonly shape: Shape;
  /** Row-major elements, length size(shape). */
  readonly data: TypedArrayByDType[D];
}

export type Feeds = Readonly<Record<string, HostTensor>>;
export type Fetches = Record<string, HostTensor>;
export type StateDict = Record<string, HostTensor>;

/** Builds a HostTensor, copying `values` (or zero-filled). */
export function hostTensor<D extends DType>(dtype: D, shape: Shape, values?: ArrayLike<number>): HostTensor<D> {
  if (!isShape(shape)) throw new Error(`hostTensor: invalid shape ${JSON.stringify(shape)}`);
  const data = allocate(dtype, sizeOf(shape));
  if (values !== undefined) {
    if (values.length !== data.length) {
      throw new Error(`hostTensor: ${values.length} values given for shape ${formatShape(shape)}, which holds ${data.length}`);
    }
    data.set(values);
  }
  return { dtype, shape: [...shape], data };
}

/** Why `tensor` is not a well-formed HostTensor of `dtype` and `shape`, or undefined if it is. */
export function describeMismatch(tensor: unknown, dtype: DType, shape: Shape): string | undefined {
  if (typeof tensor !== 'object' || tensor === null) return `expected a tensor ${dtype}${formatShape(shape)}, got ${tensor === null ? 'null' : typeof tensor}`;
  const t = tensor as Partial<HostTensor>;
  if (t.dtype !== dtype) return `expected dtype ${dtype}, got ${String(t.dtype)}`;
  if (!isShape(t.shape) || t.shape.length !== shape.length || t.shape.some((d, i) => d !== shape[i])) {
    return `expected shape ${formatShape(shape)}, got ${isShape(t.shape) ? formatShape(t.shape) : JSON.stringify(t.shape)}`;
  }
  if (dtypeOfArray(t.data) !== dtype) return `expected data in a ${dtype === 'int32' ? 'Int32Array' : dtype === 'float32' ? 'Float32Array' : 'Float64Array'}`;
  if (t.data!.length !== sizeOf(shape)) return `expected ${sizeOf(shape)} elements, got ${t.data!.length}`;
  return undefined;
}
