import { direct } from './unary.js';

/** Gradients are core's business; at run time stopGradient is the identity. */
export const stopGradientLowering = direct<'stopGradient'>('Identity');
