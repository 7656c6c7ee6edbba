import { direct } from './unary.js';

export const subLowering = direct<'sub'>('Sub');
