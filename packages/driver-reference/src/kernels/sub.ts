import { binaryKernel } from './elementwise.js';

export const subKernel = binaryKernel<'sub'>((a, b) => a - b);
