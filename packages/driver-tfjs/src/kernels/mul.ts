import { mul } from '@tensorflow/tfjs-core';
import { binaryKernel } from './elementwise.js';

export const mulKernel = binaryKernel<'mul'>((a, b) => mul(a, b));
