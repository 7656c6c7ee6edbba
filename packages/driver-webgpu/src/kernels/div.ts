import { binaryKernel } from './binary.js';

export const divKernel = binaryKernel('div', (a, b) => `${a} / ${b}`);
