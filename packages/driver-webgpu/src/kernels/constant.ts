import { sizeOf } from '@ltssl/core';
import type { Kernel } from './kernel.js';

/** Written into its buffer once, at compile time. */
export const constantKernel: Kernel<'constant'> = ({ node, output }) => {
  const size = sizeOf(output.shape);
  const data = output.dtype === 'int32' ? new Int32Array(size) : new Float32Array(size);
  const { value } = node.attrs;
  if (typeof value === 'number') data.fill(value);
  else data.set(value);
  return { kind: 'constant', data };
};
