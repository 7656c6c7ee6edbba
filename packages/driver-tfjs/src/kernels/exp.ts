import { exp } from '@tensorflow/tfjs-core';
import { unaryKernel } from './elementwise.js';

export const expKernel = unaryKernel<'exp'>((x) => exp(x));
