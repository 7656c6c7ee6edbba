import { sizeOf, type OpName } from '@ltssl/core';
import { wgslType } from './kernel.js';
import { withElementwise, type ElementwiseKernel } from './elementwise.js';
import { elementGrid, elementMain, IS_NAN, prelude, storage } from './wgsl.js';

/**
 * The element-wise kernel of a one-input op: y[i] = expr(x[i]). `expr` gets
 * the WGSL value and its type; isNan() is in scope for f32.
 */
export function unaryKernel<K extends OpName>(op: K, expr: (v: string, type: 'f32' | 'i32') => string): ElementwiseKernel<K> {
  return withElementwise<K>(({ inputs, output }) => {
    const from = wgslType(inputs[0]!.dtype);
    const to = wgslType(output.dtype);
    const grid = elementGrid(sizeOf(output.shape));
    const shader = `${prelude()}${storage('x', 1, from, 'read')}${storage('y', 2, to, 'read_write')}${from === 'f32' ? IS_NAN : ''}${elementMain(`  let v = x[i];\n  y[i] = ${expr('v', from)};`)}`;
    return { kind: 'dispatch', dispatches: [{ kernel: op, shader, access: ['read', 'write'], buffers: [{ kind: 'input', index: 0 }, { kind: 'output' }], params: grid.params, workgroups: grid.workgroups }] };
  }, { arity: 1, expr: (args, type) => expr(args[0]!, type) });
}
