import { binaryKernel } from './elementwise.js';

export const equalKernel = binaryKernel<'equal'>((a, b) => (a === b ? 1 : 0));
