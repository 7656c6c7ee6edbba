import type { Shape } from '@ltssl/core';
import type { Lowering } from '../lowering.js';

/** Whether the windows form applies: stride 1 and dy the size of x (pads that keep the size). */
export function windowsApply(x: Shape, dy: Shape, strides: readonly number[]): boolean {
  return strides.every((s) => s === 1) && dy[2] === x[2] && dy[3] === x[3];
}

/**
 * dw at stride 1 from contiguous windows: with x^T [C, N*H*W] flattened and
 * padded by the largest tap offset at both ends, the values tap (p, q) sees for
 * output m are the window starting at m + (p - top) W + (q - left), one
 * contiguous run a channel, so each tap is a plain Slice (a memcpy a channel)
 * and one GEMM with dy^T [O, N*H*W]. Where a tap falls outside the image (a pad
 * position) the window holds a neighbouring row's value instead, so it is
 * multiplied by that tap's 0/1 mask over the H*W positions; the centre tap needs
 * none. The GEMMs are the tap form's; ORT's windowed 4-D Slices and Pad it
 * replaces cost it a third of each deep ResNet-18 layer (docs/performance.md).
 * A non-finite x beside a pad would meet a mask's 0 as NaN where the tap form
 * reads the pad's 0; such an x has already made the loss non-finite.
 */
export const conv2dBackpropFilterWindowsLowering: Lowering<'conv2dBackpropFilter'> = (graph, node, [x, dy], [xType, dyType]) => {
  const { strides, pads, filterShape } = node.attrs;
  const [n, c, h, w] = xType!.shape as [number, number, number, number];
  const [, o] = dyType!.shape as [number, number];
  const [kh, kw] = filterShape.slice(2) as [number, number];
  const [top, left] = pads as [number, number];
  if (!windowsApply(xType!.shape, dyType!.shape, strides)) {
    throw new Error(`conv2dBackpropFilter windows: needs stride 1 and dy the size of x (strides ${strides}, x ${xType!.shape}, dy ${dyType!.shape}); check windowsApply first`);
  }
  const m = n * h * w;
  const offsets = [];
  for (let p = 0; p < kh; p++) for (let q = 0; q < kw; q++) offsets.push({ p, q, delta: (p - top) * w + (q - left) });
  const reach = Math.max(...offsets.map((t) => Math.abs(t.delta)));
  const swap = { perm: { ints: [1, 0, 2, 3] } };
  const flat = graph.op('Reshape', [graph.op('Transpose', [x!], swap), graph.int64s([c, m])]); // [C, N*H*W]
  const padded = reach > 0 ? graph.op('Pad', [flat, graph.int64s([0, reach, 0, reach])]) : flat; // [C, N*H*W + 2 reach]
  const dyt = graph.op('Reshape', [graph.op('Transpose', [dy!], swap), graph.int64s([o, m])]); // [O, N*H*W]
  const taps = offsets.map(({ p, q, delta }) => {
    let window = graph.op('Slice', [padded, graph.int64s([reach + delta]), graph.int64s([reach + delta + m]), graph.int64s([1])]); // [C, N*H*W]
    const mask = Array.from({ length: h * w }, (_, k) => {
      const [i, j] = [Math.floor(k / w) + p - top, (k % w) + q - left];
      return i >= 0 && i < h && j >= 0 && j < w ? 1 : 0;
    });
    if (mask.includes(0)) {
      const masked = graph.op('Mul', [graph.op('Reshape', [window, graph.int64s([c, n, h * w])]), graph.constant('float32', [1, 1, h * w], mask)]); // [C, N, H*W]
      window = graph.op('Reshape', [masked, graph.int64s([c, m])]); // [C, N*H*W]
    }
    return graph.op('Reshape', [graph.op('Gemm', [dyt, window], { transB: { int: 1 } }), graph.int64s([o, c, 1])]); // [O, C, 1]
  });
  const stacked = taps.length === 1 ? taps[0]! : graph.op('Concat', taps, { axis: { int: 2 } }); // [O, C, KH*KW]
  return graph.op('Reshape', [stacked, graph.int64s(filterShape)]); // [O, C, KH, KW]
};
