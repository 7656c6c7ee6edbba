import { sqrt } from '@tensorflow/tfjs-core';
import { unaryKernel } from './elementwise.js';

export const sqrtKernel = unaryKernel<'sqrt'>((x) => sqrt(x));
