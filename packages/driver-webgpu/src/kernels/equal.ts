import { binaryKernel, oneIf } from './binary.js';

export const equalKernel = binaryKernel('equal', (a, b, type) => oneIf(type === 'f32' ? `${a} == ${b} && !isNan(${a}) && !isNan(${b})` : `${a} == ${b}`, type));
