import type { OnnxGraph } from '../../lower/onnx-graph.js';
import type { Lowering } from '../lowering.js';
import { plainConv, type ConvEmitter } from './nchwc-conv.js';

/**
 * One axis of one output phase: the rows r = s*j + rho of dx (j < H/s) are a
 * correlation of dy with the taps p = a, a + s, ... (a = (rho + top) mod s)
 * reversed, dy padded by `before` and `after` rows.
 */
interface AxisPhase {
  readonly first: number; // a, the phase's first tap
  readonly taps: number; // T = ceil((k - a) / s)
  readonly before: number;
  readonly after: number;
}

function axisPhase(rho: number, k: number, s: number, top: number, rows: number, dyRows: number): AxisPhase {
  const first = (rho + top) % s;
  const taps = Math.ceil((k - first) / s);
  // out[j] = sum_u dy[j + delta - T + 1 + u] v[u], delta = floor((rho + top) / s), j < rows / s.
  const delta = Math.floor((rho + top) / s);
  return { first, taps, before: taps - 1 - delta, after: rows / s + delta - dyRows };
}

/** The phases of both axes, or undefined where this form does not apply (see below). */
function phasesOf(strides: readonly number[], pads: readonly number[], kernel: readonly number[], inputShape: readonly number[], dyShape: readonly number[]): AxisPhase[][] | undefined {
  const axes: AxisPhase[][] = [];
  for (const a of [0, 1]) {
    const [s, k, rows, dyRows] = [strides[a]!, kernel[a]!, inputShape[2 + a]!, dyShape[2 + a]!];
    if (rows % s !== 0) return undefined;
    const phases = Array.from({ length: s }, (_, rho) => axisPhase(rho, k, s, pads[a]!, rows, dyRows));
    if (phases.some((p) => p.taps < 1 || p.before < 0 || p.after < 0)) return undefined;
    axes.push(phases);
  }
  return axes;
}

/** Whether dx of this convolution can be computed as forward Convs over its output phases. */
export function phasesApply(strides: readonly number[], pads: readonly number[], kernel: readonly number[], inputShape: readonly number[], dyShape: readonly number[]): boolean {
  return phasesOf(strides, pads, kernel, inputShape, dyShape) !== undefined;
}

/** w [O, C, KH, KW] -> the phase's filter [C, O, T_h, T_w]: channels swapped, its taps a + s*t reversed. */
function phaseFilter(graph: OnnxGraph, swapped: string, [h, w]: readonly AxisPhase[], strides: readonly number[]): string {
  const start = [h!, w!].map((p, i) => p.first + strides[i]! * (p.taps - 1));
  // Stepping backwards, an end of -1 would count from the back: a very negative end means "through index 0".
  const end = [h!, w!].map((p) => (p.first >= 1 ? p.first - 1 : -Number.MAX_SAFE_INTEGER));
  return graph.op('Slice', [swapped, graph.int64s(start), graph.int64s(end), graph.int64s([2, 3]), graph.int64s(strides.map((s) => -s))]); // [C, O, T_h, T_w]
}

/**
 * dx as forward Convs, one per output phase (sub-pixel convolution): the rows
 * and columns of dx with r mod s = rho each see only the taps p = a (mod s),
 * so each phase is the correlation of dy with those taps, channels swapped and
 * reversed, and the s*s phases [N, C, H/s, W/s] interleave into [N, C, H, W]
 * (interleave, below). The multiply-adds are ConvTranspose's, with none on zeros;
 * ORT's CPU Conv (its NCHWc kernels) runs them faster than ConvTranspose's
 * GEMM and col2im (docs/performance.md). At stride 1 it is one Conv of dy with
 * the flipped filter. Applies when H and W divide by the stride, every phase
 * has a tap (kernel >= stride) and no pad exceeds the kernel's reach
 * (phasesApply); the CPU profile keeps ConvTranspose otherwise.
 */
export function phasesLowering(conv: ConvEmitter): Lowering<'conv2dBackpropInput'> {
  return (graph, node, [dy, w], [dyType, wType]) => {
    const { strides, inputShape, pads } = node.attrs;
    const kernel = wType!.shape.slice(2);
    const axes = phasesOf(strides, pads, kernel, inputShape, dyType!.shape);
    if (axes === undefined) throw new Error(`conv2dBackpropInput phases: strides ${strides}, pads ${pads}, kernel ${kernel} and input ${inputShape} have a phase without taps or a negative pad; check phasesApply first`);
    const swapped = graph.op('Transpose', [w!], { perm: { ints: [1, 0, 2, 3] } }); // [C, O, KH, KW]
    const outputs: string[] = [];
    for (const h of axes[0]!) {
      for (const v of axes[1]!) {
        const filter = phaseFilter(graph, swapped, [h, v], strides); // [C, O, T_h, T_w]
        const shape = [inputShape[1]!, dyType!.shape[1]!, h.taps, v.taps];
        outputs.push(conv(graph, dy!, filter, shape, { pads: [h.before, v.before, h.after, v.after], strides: [1, 1] })); // [N, C, H/s_h, W/s_w]
      }
    }
    if (outputs.length === 1) return outputs[0]!; // stride 1: [N, C, H, W]
    return interleave(graph, outputs, strides, inputShape);
  };
}

/** The phases form with ONNX's own Conv. */
export const conv2dBackpropInputPhasesLowering = phasesLowering(plainConv);

/**
 * The [s*n, s*n] permutation that interleaves s blocks of n: a 1 at (rho*n + i, s*i + rho).
 * x [.., s*n] times it puts block rho's i-th entry at s*i + rho.
 */
function spread(graph: OnnxGraph, n: number, s: number): string {
  const values = new Array<number>(n * s * n * s).fill(0);
  for (let rho = 0; rho < s; rho++) for (let i = 0; i < n; i++) values[(rho * n + i) * s * n + s * i + rho] = 1;
  return graph.constant('float32', [s * n, s * n], values);
}

/**
 * The phases [N, C, H/s, W/s], row phase major, into dx [N, C, H, W]: each
 * row phase's column phases side by side times a permutation, then the row
 * phases stacked on an axis of their own, [N, C, H/s, s, W], which is dx's
 * row order: that Concat copies whole rows. ORT's DepthToSpace (and the 6-D
 * Transpose it is) cost as much as the phase Convs themselves on the small
 * CNN's layers (8.7 ms against 9.7 a SimCLR step); the column interleave is a
 * small MatMul by a one-hot matrix, a GEMM (a Concat of single values would
 * copy them one at a time), and stacking the rows by a Concat in place of a
 * second MatMul took 38% less time for the whole interleave. Exact for finite
 * values (one product by 1, the rest by 0).
 */
function interleave(graph: OnnxGraph, phases: readonly string[], [sh, sw]: readonly number[], inputShape: readonly number[]): string {
  const [n, c] = inputShape as [number, number];
  const [h, w] = [inputShape[2]! / sh!, inputShape[3]! / sw!];
  const rows: string[] = [];
  for (let r = 0; r < sh!; r++) {
    const row = phases.slice(r * sw!, (r + 1) * sw!);
    // [N, C, H/s, s*W/s] x [s*W/s, W]: block rho, column j -> column s*j + rho.
    rows.push(sw === 1 ? row[0]! : graph.op('MatMul', [graph.op('Concat', row, { axis: { int: 3 } }), spread(graph, w, sw!)])); // [N, C, H/s, W]
  }
  if (sh === 1) return rows[0]!;
  const asRows = rows.map((row) => graph.op('Reshape', [row, graph.int64s([n, c, h, 1, sw! * w])])); // [N, C, H/s, 1, W]
  const stacked = graph.op('Concat', asRows, { axis: { int: 3 } }); // [N, C, H/s, s, W]: row s*i + rho at [i, rho]
  return graph.op('Reshape', [stacked, graph.int64s(inputShape)]); // [N, C, H, W]
}
