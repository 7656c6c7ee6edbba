import { unaryKernel } from './elementwise.js';

/** Identity: stopGradient only matters to autodiff. */
export const stopGradientKernel = unaryKernel<'stopGradient'>((x) => x);
