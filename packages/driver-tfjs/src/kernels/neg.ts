import { neg } from '@tensorflow/tfjs-core';
import { unaryKernel } from './elementwise.js';

export const negKernel = unaryKernel<'neg'>((x) => neg(x));
