import { alloc } from '../ref-tensor.js';
import type { Kernel } from './kernel.js';

export const constantKernel: Kernel<'constant'> = (_inputs, { value }, out) => {
  const y = alloc(out);
  if (typeof value === 'number') y.data.fill(value);
  else y.data.set(value);
  return y;
};
