import type { DType } from '../ir/dtype.js';
import type { Tensor } from '../trace/tensor.js';

/** labels int32 [N] -> [N, classes] of 1/0 in `dtype`: labels == iota, no gather op needed. */
export function oneHot(labels: Tensor, classes: number, dtype: DType = 'float32'): Tensor {
  if (labels.dtype !== 'int32' || labels.rank !== 1) throw new Error(`oneHot: labels must be int32 [N], got ${labels.dtype}[${labels.shape.join(',')}]`);
  const iota = labels.tracer.constant(Array.from({ length: classes }, (_, i) => i), 'int32', [1, classes]);
  return labels.reshape([labels.shape[0]!, 1]).equal(iota).cast(dtype); // [N, classes]
}
