import { unaryKernel } from './elementwise.js';

/** The identity: gradients are core's business, so the engine only passes the value on. */
export const stopGradientKernel = unaryKernel<'stopGradient'>((x) => x);
