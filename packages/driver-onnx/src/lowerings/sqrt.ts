import { direct } from './unary.js';

export const sqrtLowering = direct<'sqrt'>('Sqrt');
