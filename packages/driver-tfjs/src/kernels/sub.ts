import { sub } from '@tensorflow/tfjs-core';
import { binaryKernel } from './elementwise.js';

export const subKernel = binaryKernel<'sub'>((a, b) => sub(a, b));
