import { binaryKernel } from './binary.js';

// i32 addition wraps around in WGSL, as the IR requires.
export const addKernel = binaryKernel('add', (a, b) => `${a} + ${b}`);
