import { reduceKernel } from './reduce.js';

export const reduceSumKernel = reduceKernel('reduceSum', {
  identityBits: () => 0,
  combine: (acc, v) => `${acc} + ${v}`,
});
