import { log } from '@tensorflow/tfjs-core';
import { unaryKernel } from './elementwise.js';

export const logKernel = unaryKernel<'log'>((x) => log(x));
