import { unaryKernel } from './elementwise.js';

export const logKernel = unaryKernel<'log'>(Math.log);
