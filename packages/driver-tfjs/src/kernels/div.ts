import { div } from '@tensorflow/tfjs-core';
import { binaryKernel } from './elementwise.js';

export const divKernel = binaryKernel<'div'>((a, b) => div(a, b));
