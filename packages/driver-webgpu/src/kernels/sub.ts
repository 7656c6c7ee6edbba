import { binaryKernel } from './binary.js';

export const subKernel = binaryKernel('sub', (a, b) => `${a} - ${b}`);
