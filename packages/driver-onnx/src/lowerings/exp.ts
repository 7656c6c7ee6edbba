import { direct } from './unary.js';

export const expLowering = direct<'exp'>('Exp');
