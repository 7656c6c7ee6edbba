import { relu } from '@tensorflow/tfjs-core';
import { unaryKernel } from './elementwise.js';

export const reluKernel = unaryKernel<'relu'>((x) => relu(x));
