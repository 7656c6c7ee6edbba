import { direct } from './unary.js';

// ONNX's binary ops broadcast by the same NumPy rules as the IR.
export const addLowering = direct<'add'>('Add');
