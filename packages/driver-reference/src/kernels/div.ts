import { binaryKernel } from './elementwise.js';

export const divKernel = binaryKernel<'div'>((a, b) => a / b);
