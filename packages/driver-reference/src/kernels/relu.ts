import { unaryKernel } from './elementwise.js';

// `x > 0 ? x : 0` rather than Math.max(x, 0): NaN stays NaN either way, and -0 maps to 0.
export const reluKernel = unaryKernel<'relu'>((x) => (x > 0 ? x : Number.isNaN(x) ? x : 0));
