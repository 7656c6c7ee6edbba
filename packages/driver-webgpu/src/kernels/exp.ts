import { unaryKernel } from './unary.js';

export const expKernel = unaryKernel('exp', (v) => `exp(${v})`);
