import { unaryKernel } from './elementwise.js';

export const negKernel = unaryKernel<'neg'>((x) => -x);
