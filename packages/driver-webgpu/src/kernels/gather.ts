import { sizeOf, type DType } from '@ltssl/core';
import { wgslType, type Dispatch } from './kernel.js';
import { mergeAxes, rankWords } from './strides.js';
import { elementGrid, elementMain, prelude, storage, STRIDED_OFFSET } from './wgsl.js';

/**
 * y[i] = x[base + sum_d coord_d(i) * stride_d]: the one kernel behind
 * transpose, broadcastTo and slice, which differ only in strides and base.
 * Parameters: n, row width, rank, base, dims[8], strides[8].
 */
export function gatherDispatch(kernel: string, dtype: DType, outShape: readonly number[], strides: readonly number[], base: number): Dispatch {
  const type = wgslType(dtype);
  const merged = mergeAxes(outShape, [strides]);
  const grid = elementGrid(sizeOf(outShape));
  const shader = `${prelude()}${storage('x', 1, type, 'read')}${storage('y', 2, type, 'read_write')}${STRIDED_OFFSET}${elementMain('  y[i] = x[prm(3u) + stridedOffset(i, prm(2u), 4u, 12u)];')}`;
  return {
    kernel,
    shader,
    access: ['read', 'write'],
    buffers: [{ kind: 'input', index: 0 }, { kind: 'output' }],
    params: [...grid.params, merged.shape.length, base, ...rankWords(kernel, merged.shape, 1), ...rankWords(kernel, merged.strides[0]!)],
    workgroups: grid.workgroups,
  };
}

/**
 * y[base + sum_d coord_d(i) * stride_d] = x[i]: writes input `index` into its
 * box of the output (concat, one dispatch per input).
 */
export function scatterDispatch(kernel: string, dtype: DType, index: number, inShape: readonly number[], outStrides: readonly number[], base: number): Dispatch {
  const type = wgslType(dtype);
  const merged = mergeAxes(inShape, [outStrides]);
  const grid = elementGrid(sizeOf(inShape));
  const shader = `${prelude()}${storage('x', 1, type, 'read')}${storage('y', 2, type, 'read_write')}${STRIDED_OFFSET}${elementMain('  y[prm(3u) + stridedOffset(i, prm(2u), 4u, 12u)] = x[i];')}`;
  return {
    kernel,
    shader,
    access: ['read', 'write'],
    buffers: [{ kind: 'input', index }, { kind: 'output' }],
    params: [...grid.params, merged.shape.length, base, ...rankWords(kernel, merged.shape, 1), ...rankWords(kernel, merged.strides[0]!)],
    workgroups: grid.workgroups,
  };
}
