import { binaryKernel } from './elementwise.js';

export const addKernel = binaryKernel<'add'>((a, b) => a + b);
