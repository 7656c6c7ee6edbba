import { sizeOf } from '@ltssl/core';
import { wgslType, type Kernel } from './kernel.js';
import { elementGrid, elementMain, prelude, storage } from './wgsl.js';

/**
 * One thread per output walks the axis and keeps the first largest value, as
 * the reference (a later element wins only when strictly greater).
 * Parameters: outputs, row width, axis length, inner size.
 */
export const argMaxKernel: Kernel<'argMax'> = ({ node, inputs, output }) => {
  const x = inputs[0]!;
  const type = wgslType(x.dtype);
  const axis = node.attrs.axis < 0 ? node.attrs.axis + x.shape.length : node.attrs.axis;
  const inner = x.shape.slice(axis + 1).reduce((p, d) => p * d, 1);
  const grid = elementGrid(sizeOf(output.shape));
  const body = `  let len = prm(2u);
  let inner = prm(3u);
  let base = (i / inner) * len * inner + i % inner;
  var best = 0u;
  var bestValue = x[base];
  for (var k = 1u; k < len; k = k + 1u) {
    let v = x[base + k * inner];
    if (v > bestValue) {
      best = k;
      bestValue = v;
    }
  }
  y[i] = i32(best);`;
  const shader = `${prelude()}${storage('x', 1, type, 'read')}${storage('y', 2, 'i32', 'read_write')}${elementMain(body)}`;
  return { kind: 'dispatch', dispatches: [{ kernel: 'argMax', shader, access: ['read', 'write'], buffers: [{ kind: 'input', index: 0 }, { kind: 'output' }], params: [...grid.params, x.shape[axis]!, inner], workgroups: grid.workgroups }] };
};
