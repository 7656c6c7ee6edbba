import { unaryKernel } from './unary.js';

export const negKernel = unaryKernel('neg', (v) => `-${v}`);
