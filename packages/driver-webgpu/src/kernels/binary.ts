import { sizeOf, type OpName } from '@ltssl/core';
import { wgslType } from './kernel.js';
import { withElementwise, type ElementwiseKernel } from './elementwise.js';
import { broadcastStrides, mergeAxes, rankWords } from './strides.js';
import { elementGrid, elementMain, IS_NAN, prelude, storage } from './wgsl.js';

/**
 * The element-wise kernel of a two-input op with NumPy broadcasting:
 * y[i] = expr(a[...], b[...]). Each input is read through strides (0 on its
 * broadcast axes), after merging the axes both step through contiguously.
 * Parameters: n, row width, rank, -, dims[8], a strides[8], b strides[8].
 */
export function binaryKernel<K extends OpName>(op: K, expr: (a: string, b: string, type: 'f32' | 'i32') => string): ElementwiseKernel<K> {
  return withElementwise<K>(({ inputs, output }) => {
    const type = wgslType(inputs[0]!.dtype);
    const out = wgslType(output.dtype);
    const merged = mergeAxes(output.shape, [broadcastStrides(inputs[0]!.shape, output.shape), broadcastStrides(inputs[1]!.shape, output.shape)]);
    const grid = elementGrid(sizeOf(output.shape));
    const body = `  var rem = i;
  var ao = 0u;
  var bo = 0u;
  for (var d = prm(2u); d > 0u; d = d - 1u) {
    let dim = prm(3u + d);
    let c = rem % dim;
    rem = rem / dim;
    ao = ao + c * prm(11u + d);
    bo = bo + c * prm(19u + d);
  }
  let av = a[ao];
  let bv = b[bo];
  y[i] = ${expr('av', 'bv', type)};`;
    const shader = `${prelude()}${storage('a', 1, type, 'read')}${storage('b', 2, type, 'read')}${storage('y', 3, out, 'read_write')}${type === 'f32' ? IS_NAN : ''}${elementMain(body)}`;
    const params = [...grid.params, merged.shape.length, 0, ...rankWords(op, merged.shape, 1), ...rankWords(op, merged.strides[0]!), ...rankWords(op, merged.strides[1]!)];
    return {
      kind: 'dispatch',
      dispatches: [{ kernel: op, shader, access: ['read', 'read', 'write'], buffers: [{ kind: 'input', index: 0 }, { kind: 'input', index: 1 }, { kind: 'output' }], params, workgroups: grid.workgroups }],
    };
  }, { arity: 2, expr: (args, type) => expr(args[0]!, args[1]!, type) });
}

/** 1 or 0 in the inputs' type. */
export function oneIf(condition: string, type: 'f32' | 'i32'): string {
  return type === 'f32' ? `select(0.0, 1.0, ${condition})` : `select(0, 1, ${condition})`;
}
