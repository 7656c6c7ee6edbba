import { unaryKernel } from './unary.js';

// As the reference: x > 0 ? x : 0, NaN stays NaN, -0 becomes 0 (max(x, 0) leaves NaN to the implementation).
export const reluKernel = unaryKernel('relu', (v) => `select(0.0, ${v}, ${v} > 0.0 || isNan(${v}))`);
