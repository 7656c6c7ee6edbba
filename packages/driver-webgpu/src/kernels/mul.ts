import { binaryKernel } from './binary.js';

export const mulKernel = binaryKernel('mul', (a, b) => `${a} * ${b}`);
