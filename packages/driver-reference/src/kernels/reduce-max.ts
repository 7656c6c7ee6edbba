import type { Kernel } from './kernel.js';
import { reduceInto } from './reduce.js';

export const reduceMaxKernel: Kernel<'reduceMax'> = ([x], attrs, out) => reduceInto(x!, attrs, out, -Infinity, Math.max);
