import { reduceKernel } from './reduce.js';

// NaN propagates (the reference folds with Math.max); the start is -Infinity, or the least i32.
export const reduceMaxKernel = reduceKernel('reduceMax', {
  identityBits: (type) => (type === 'f32' ? 0xff800000 : 0x80000000),
  combine: (acc, v, type) => (type === 'f32' ? `select(select(max(${acc}, ${v}), ${v}, isNan(${v})), ${acc}, isNan(${acc}))` : `max(${acc}, ${v})`),
});
