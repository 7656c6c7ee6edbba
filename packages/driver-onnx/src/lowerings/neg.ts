import { direct } from './unary.js';

export const negLowering = direct<'neg'>('Neg');
