import { maximum } from '@tensorflow/tfjs-core';
import { binaryKernel } from './elementwise.js';

export const maximumKernel = binaryKernel<'maximum'>((a, b) => maximum(a, b));
