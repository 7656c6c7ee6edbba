import { binaryKernel } from './elementwise.js';

export const maximumKernel = binaryKernel<'maximum'>(Math.max);
