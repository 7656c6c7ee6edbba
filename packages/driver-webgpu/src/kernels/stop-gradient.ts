import type { Kernel } from './kernel.js';

/** The identity: the output is the input's buffer. Its gradient rule lives in core's autodiff. */
export const stopGradientKernel: Kernel<'stopGradient'> = () => ({ kind: 'alias' });
