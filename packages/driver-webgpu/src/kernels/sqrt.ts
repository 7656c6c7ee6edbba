import { unaryKernel } from './unary.js';

export const sqrtKernel = unaryKernel('sqrt', (v) => `sqrt(${v})`);
