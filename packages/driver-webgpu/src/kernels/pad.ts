import { sizeOf } from '@ltssl/core';
import { wgslType, type Kernel } from './kernel.js';
import { rankWords } from './strides.js';
import { elementGrid, elementMain, prelude, storage } from './wgsl.js';

/**
 * Each output element reads its input element, or 0 outside the input.
 * Parameters: n, row width, rank, -, out dims[8], before[8], in dims[8].
 */
export const padKernel: Kernel<'pad'> = ({ node, inputs, output }) => {
  const type = wgslType(output.dtype);
  const grid = elementGrid(sizeOf(output.shape));
  const body = `  var rem = i;
  var off = 0u;
  var step = 1u;
  var inside = true;
  for (var d = prm(2u); d > 0u; d = d - 1u) {
    let dim = prm(3u + d);
    let c = i32(rem % dim) - prmi(11u + d);
    rem = rem / dim;
    let extent = prm(19u + d);
    if (c < 0 || c >= i32(extent)) { inside = false; }
    off = off + u32(max(c, 0)) * step;
    step = step * extent;
  }
  if (inside) { y[i] = x[off]; } else { y[i] = ${type}(0); }`;
  const shader = `${prelude()}${storage('x', 1, type, 'read')}${storage('y', 2, type, 'read_write')}${elementMain(body)}`;
  const before = node.attrs.pads.map((p) => p[0]!);
  const params = [...grid.params, output.shape.length, 0, ...rankWords('pad', output.shape, 1), ...rankWords('pad', before), ...rankWords('pad', inputs[0]!.shape, 1)];
  return { kind: 'dispatch', dispatches: [{ kernel: 'pad', shader, access: ['read', 'write'], buffers: [{ kind: 'input', index: 0 }, { kind: 'output' }], params, workgroups: grid.workgroups }] };
};
