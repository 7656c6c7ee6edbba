import { comparison } from './compare.js';

export const greaterLowering = comparison<'greater'>('Greater');
