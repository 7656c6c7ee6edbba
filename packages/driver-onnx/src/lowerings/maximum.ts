import { direct } from './unary.js';

export const maximumLowering = direct<'maximum'>('Max');
