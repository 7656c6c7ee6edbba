import { unaryKernel } from './elementwise.js';

export const sqrtKernel = unaryKernel<'sqrt'>(Math.sqrt);
