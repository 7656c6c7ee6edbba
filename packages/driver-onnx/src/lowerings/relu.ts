import { direct } from './unary.js';

export const reluLowering = direct<'relu'>('Relu');
