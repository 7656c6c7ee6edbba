import { binaryKernel } from './binary.js';

// NaN propagates from either side, as Math.max in the reference; WGSL's max() leaves NaN to the implementation.
export const maximumKernel = binaryKernel('maximum', (a, b, type) => (type === 'f32' ? `select(select(max(${a}, ${b}), ${b}, isNan(${b})), ${a}, isNan(${a}))` : `max(${a}, ${b})`));
