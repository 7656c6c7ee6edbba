import { unaryKernel } from './elementwise.js';

export const expKernel = unaryKernel<'exp'>(Math.exp);
