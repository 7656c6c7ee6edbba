import { binaryKernel } from './elementwise.js';

export const greaterKernel = binaryKernel<'greater'>((a, b) => (a > b ? 1 : 0));
