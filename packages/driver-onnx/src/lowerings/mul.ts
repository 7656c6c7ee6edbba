import { direct } from './unary.js';

export const mulLowering = direct<'mul'>('Mul');
