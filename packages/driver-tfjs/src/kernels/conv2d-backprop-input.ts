import { conv2d, conv2dTranspose, reshape, reverse, slice, stack, stridedSlice, transpose, zeros, type Tensor, type Tensor4D } from '@tensorflow/tfjs-core';
import { HWIO, NHWC } from '../layout/perm.js';
import { explicitPadding } from './conv-padding.js';
import type { TfjsKernel } from './kernel.js';
import { fixedLayout } from './layout-rules.js';

/**
 * dx NHWC [N, H, W, C] from dy NHWC [N, H', W', O] and w HWIO [KH, KW, C, O]:
 * dx[h] = sum over i*s - top + p = h of dy[i] w[p] (per spatial axis).
 *
 * Native engines run Conv2DBackpropInput. The wasm backend's is 3-10x slower
 * than its forward Conv2D (XNNPACK), so there dx is built from forward
 * convolutions with the filter reversed in space and its channel axes swapped:
 * - stride 1: one convolution of dy padded by KH-1-top before;
 * - stride s > 1, by phases: the rows with (h + top) mod s = r only meet the
 *   taps p = r, r+s, ..., so each of the s x s phases is a stride-1
 *   convolution with that sub-filter, and the phases interleave into dx. This
 *   does the forward convolution's arithmetic, where inserting s-1 zeros
 *   between the rows of dy would do s^2 times as much (measured 4x slower).
 */
export const conv2dBackpropInputKernel: TfjsKernel<'conv2dBackpropInput'> = {
  layout: fixedLayout([NHWC, HWIO], NHWC),
  demand: () => [NHWC, HWIO],
  run: ([dy, w], attrs, out, ctx) => {
    const [n, h, wd, c] = out.shape as [number, number, number, number];
    if (ctx.nativeKernels) return conv2dTranspose(dy as Tensor4D, w as Tensor4D, [n, h, wd, c], attrs.strides as [number, number], explicitPadding(attrs));
    const [sh, sw] = attrs.strides as [number, number];
    const [top, left] = attrs.pads as [number, number];
    if (sh === 1 && sw === 1) return correlate(dy as Tensor4D, w as Tensor4D, [h, wd], [top, left]);
    return byPhases(dy as Tensor4D, w as Tensor4D, [sh, sw], [top, left], [h, wd]);
  },
};

/** The filter reversed in space with its channel axes swapped: [KH, KW, C, O] -> [KH, KW, O, C]. */
function flip(w: Tensor4D): Tensor4D {
  return transpose(reverse(w, [0, 1]), [0, 1, 3, 2]);
}

/**
 * The stride-1 correlation of dy with the flipped filter: result row m is
 * sum_k dy[m + offset - k] w[k], for `size` rows (per spatial axis). Padding
 * that comes out negative crops dy instead.
 */
function correlate(dy: Tensor4D, w: Tensor4D, size: readonly number[], offset: readonly number[]): Tensor4D {
  const [n, oh, ow, o] = dy.shape;
  const kernel = w.shape.slice(0, 2);
  const lengths = [oh, ow];
  const before = [0, 1].map((a) => kernel[a]! - 1 - offset[a]!);
  const after = [0, 1].map((a) => size[a]! + kernel[a]! - 1 - before[a]! - lengths[a]!);
  let d = dy;
  const crop = [0, 1].map((a) => [Math.max(0, -before[a]!), Math.max(0, -after[a]!)] as const);
  if (crop.some(([b, e]) => b > 0 || e > 0)) {
    d = slice(dy, [0, crop[0]![0], crop[1]![0], 0], [n, oh - crop[0]![0] - crop[0]![1], ow - crop[1]![0] - crop[1]![1], o]);
  }
  const padding: [[number, number], [number, number], [number, number], [number, number]] = [
    [0, 0],
    [Math.max(0, before[0]!), Math.max(0, after[0]!)],
    [Math.max(0, before[1]!), Math.max(0, after[1]!)],
    [0, 0],
  ];
  return conv2d(d, flip(w), 1, padding, 'NHWC');
}

/**
 * Phase (rh, rw) holds rows q = t*sh + rh of the grid q = h + top, t in
 * [0, T): a stride-1 correlation of dy with the taps rh, rh+sh, ... Stacked
 * as [N, T, sh, T', sw, C], the phases are the grid in row-major order; dx is
 * its window starting at (top, left).
 */
function byPhases(dy: Tensor4D, w: Tensor4D, strides: readonly [number, number], pads: readonly [number, number], size: readonly [number, number]): Tensor {
  const n = dy.shape[0];
  const [kh, kw, c] = w.shape;
  const [sh, sw] = strides;
  const grid = [0, 1].map((a) => Math.ceil((pads[a]! + size[a]!) / strides[a]!)) as [number, number];
  const rows: Tensor[] = [];
  for (let rh = 0; rh < sh; rh++) {
    const columns: Tensor[] = [];
    for (let rw = 0; rw < sw; rw++) {
      if (rh >= kh || rw >= kw) {
        columns.push(zeros([n, grid[0], grid[1], c]));
        continue;
      }
      const taps = stridedSlice(w, [rh, rw, 0, 0], [kh, kw, c, w.shape[3]], [sh, sw, 1, 1]) as Tensor4D; // [ceil((KH-rh)/sh), ..., C, O]
      // Output row t needs dy rows t - (taps - 1) .. t: offset 0 in correlate's terms is "kernel - 1 before".
      columns.push(correlate(dy, taps, grid, [0, 0]));
    }
    rows.push(stack(columns, 3)); // [N, T, T', sw, C]
  }
  const interleaved = reshape(stack(rows, 2), [n, grid[0] * sh, grid[1] * sw, c]);
  return slice(interleaved, [0, pads[0], pads[1], 0], [n, size[0], size[1], c]);
}
