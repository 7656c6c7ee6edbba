import type { Kernel } from './kernel.js';

/** Row-major elements under a new shape: the same bytes, so the output is the input's buffer. */
export const reshapeKernel: Kernel<'reshape'> = () => ({ kind: 'alias' });
