import { add } from '@tensorflow/tfjs-core';
import { binaryKernel } from './elementwise.js';

export const addKernel = binaryKernel<'add'>((a, b) => add(a, b));
