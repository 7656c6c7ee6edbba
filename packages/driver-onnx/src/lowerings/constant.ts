import { sizeOf } from '@ltssl/core';
import type { Lowering } from './lowering.js';

/** An initializer holding the value (dtypes other than float32 and int32 never reach here). */
export const constantLowering: Lowering<'constant'> = (graph, node) => {
  const { value, shape, dtype } = node.attrs;
  const values = typeof value === 'number' ? new Array<number>(sizeOf(shape)).fill(value) : value;
  return graph.constant(dtype === 'int32' ? 'int32' : 'float32', shape, values);
};
