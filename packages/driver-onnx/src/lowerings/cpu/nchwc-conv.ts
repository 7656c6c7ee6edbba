import type { OnnxDomain, OnnxGraph } from '../../lower/onnx-graph.js';

/** ORT's CPU-only blocked-layout kernels (MLAS's NCHWc): ReorderInput, Conv, ReorderOutput. */
export const NCHWC_DOMAIN: OnnxDomain = { name: 'com.microsoft.nchwc', version: 1 };

/** The geometry of one convolution, as ONNX's Conv attributes take it. */
export interface ConvGeometry {
  readonly pads: readonly number[];
  readonly strides: readonly number[];
}

/**
 * Emits y = Conv(x, w) for x [N, C, H, W] and w [O, C, KH, KW]; returns y [N, O, H', W']. A
 * profile passes the plain ONNX Conv or nchwcConv, which carries its NCHWc block size.
 */
export type ConvEmitter = ((graph: OnnxGraph, x: string, w: string, filterShape: readonly number[], geometry: ConvGeometry) => string) & { readonly block?: number };

export const plainConv: ConvEmitter = (graph, x, w, filterShape, { pads, strides }) =>
  graph.op('Conv', [x, w], { pads: { ints: pads }, strides: { ints: strides }, kernel_shape: { ints: filterShape.slice(2) } }); // [N, O, H', W']

/**
 * Conv through ORT's NCHWc kernels where the channels fit the machine's block
 * (`block`: 16 with AVX-512, 8 with AVX2; nchwc-block.ts asks ORT), the plain
 * Conv otherwise. ORT only moves a Conv to these kernels itself when its filter
 * is a constant, and a training step's filters are state; its own NCHWc
 * transformer reorders the constant filter once, here the graph does it every
 * step (a few MB). Measured on single ResNet-18 and small-CNN shapes at 2
 * threads, reorders of x and y included: 1.3-1.7x faster than the plain Conv
 * (docs/performance.md). The same function, summed in another order.
 */
export function nchwcConv(block: number): ConvEmitter {
  // One ReorderInput per value: dx's phases all read dy.
  const reordered = new WeakMap<OnnxGraph, Map<string, string>>();
  const blockedInput = (graph: OnnxGraph, x: string): string => {
    const seen = reordered.get(graph) ?? new Map<string, string>();
    reordered.set(graph, seen);
    if (!seen.has(x)) seen.set(x, graph.add('ReorderInput', [x], {}, { domain: NCHWC_DOMAIN })[0]!);
    return seen.get(x)!;
  };
  const emit = (graph: OnnxGraph, x: string, w: string, filterShape: readonly number[], geometry: ConvGeometry): string => {
    const [o, c, kh, kw] = filterShape as [number, number, number, number];
    if (!fillsBlocks(block, c, o)) return plainConv(graph, x, w, filterShape, geometry);
    // OIHWBiBo: [O/B, C/B, KH, KW, B (in), B (out)], kept in w's shape, as MLAS's filter reorder leaves it.
    // ReorderInput blocks the input channels (w read as a batch of O images of C channels), then one axis
    // moves: half the time of one 6-D Transpose (ResNet-18's 512x512 filter 4.5 ms against 9.5, same bits).
    const inputBlocked = graph.add('ReorderInput', [w], {}, { domain: NCHWC_DOMAIN })[0]!; // [O, C/B, KH, KW, Bi] as [O, C, KH, KW]
    const byOutputBlock = graph.op('Reshape', [inputBlocked, graph.int64s([o / block, block, c * kh * kw])]); // [O/B, Bo, C/B*KH*KW*Bi]
    const filter = graph.op('Reshape', [graph.op('Transpose', [byOutputBlock], { perm: { ints: [0, 2, 1] } }), graph.int64s([o, c, kh, kw])]); // [O, C, KH, KW], blocked
    const xb = blockedInput(graph, x); // [N, C, H, W], channels in blocks of B
    const attrs = { pads: { ints: geometry.pads }, strides: { ints: geometry.strides }, kernel_shape: { ints: [kh, kw] } };
    const yb = graph.add('Conv', [xb, filter], attrs, { domain: NCHWC_DOMAIN })[0]!; // [N, O, H', W'], blocked
    return graph.add('ReorderOutput', [yb], { channels: { int: o } }, { domain: NCHWC_DOMAIN })[0]!; // [N, O, H', W']
  };
  return Object.assign(emit, { block });
}

function fillsBlocks(block: number, c: number, o: number): boolean {
  return c % block === 0 && o % block === 0;
}

/** Whether `conv` runs a convolution of C input and O output channels on NCHWc kernels. */
export function runsBlocked(conv: ConvEmitter, c: number, o: number): boolean {
  return conv.block !== undefined && fillsBlocks(conv.block, c, o);
}
