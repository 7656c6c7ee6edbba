import { direct } from './unary.js';

export const divLowering = direct<'div'>('Div');
