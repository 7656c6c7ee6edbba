import type { Kernel } from './kernel.js';
import { reduceInto } from './reduce.js';

export const reduceSumKernel: Kernel<'reduceSum'> = ([x], attrs, out) => reduceInto(x!, attrs, out, 0, (acc, v) => acc + v);
