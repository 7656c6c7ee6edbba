import { direct } from './unary.js';

export const logLowering = direct<'log'>('Log');
