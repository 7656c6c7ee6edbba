import { comparison } from './compare.js';

export const equalLowering = comparison<'equal'>('Equal');
