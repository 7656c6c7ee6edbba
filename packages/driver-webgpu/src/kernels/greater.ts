import { binaryKernel, oneIf } from './binary.js';

// NaN compares false, tested by bits (WGSL may assume no NaN in comparisons).
export const greaterKernel = binaryKernel('greater', (a, b, type) => oneIf(type === 'f32' ? `${a} > ${b} && !isNan(${a}) && !isNan(${b})` : `${a} > ${b}`, type));
