import { binaryKernel } from './elementwise.js';
import type { Kernel } from './kernel.js';

const floatMul = binaryKernel<'mul'>((a, b) => a * b);
// Math.imul wraps like int32 hardware; a plain product loses low bits past 2^53 first.
const intMul = binaryKernel<'mul'>(Math.imul);

export const mulKernel: Kernel<'mul'> = (inputs, attrs, out) => (out.dtype === 'int32' ? intMul : floatMul)(inputs, attrs, out);
