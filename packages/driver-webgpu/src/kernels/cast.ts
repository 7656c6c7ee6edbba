import { withElementwise } from './elementwise.js';
import { unaryKernel } from './unary.js';

// WGSL's i32(f32) truncates toward zero (and saturates out of range, which the IR leaves undefined);
// f32(i32) rounds to nearest.
const convert = unaryKernel('cast', (v, from) => (from === 'f32' ? `i32(${v})` : `f32(${v})`));

/** Type conversion; a cast to the same dtype (float32 to float32) is the identity and costs nothing. */
export const castKernel = withElementwise<'cast'>((args) => (args.inputs[0]!.dtype === args.output.dtype ? { kind: 'alias' } : convert(args)), convert.elementwise);
