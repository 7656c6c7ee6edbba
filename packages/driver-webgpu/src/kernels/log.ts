import { unaryKernel } from './unary.js';

export const logKernel = unaryKernel('log', (v) => `log(${v})`);
