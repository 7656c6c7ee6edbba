import type { Lowering } from '../lowering.js';
import { afterValue } from './after-value.js';

/**
 * The largest patches buffer one Conv writes. ResNet-18's first stage at batch
 * 128 needs 288 MiB a layer; ORT's CPU arena grows by doubling and could not
 * fit such blocks in what it held, so it reached 2 GiB for 0.9 GiB in use.
 * Chunks of at most 32 MiB: 1460 MiB peak RSS a step instead of 1817, the same
 * time (3038-3081 ms against 3036-3084, interleaved); 64 MiB gave 1535, 16 and
 * 8 MiB no less than 32 (docs/performance.md). The quick preset's small CNN
 * (width 16, batch 128) fits in one chunk: its checkpoints are the same bits as
 * before. Larger batches sum their chunks in another order, within the
 * conformance tolerance.
 */
export const PATCHES_CHUNK_BYTES = 32 * 2 ** 20;

/**
 * dw from image patches: one Conv with a one-hot filter per tap gathers the
 * images' patches, [n*C, KH*KW, H', W'] (im2col, threaded by ORT's Conv), and
 * one batched MatMul contracts them with dy over the positions of each image,
 * [n, C*KH*KW, O], summed over the batch. The GEMMs are K = H'*W' deep, where
 * the tap form's are N*H'*W' deep with only C columns. The batch goes in
 * chunks of at most `chunkBytes` of patches, summed at the end; the one-hot
 * filter waits for dy so the patches are gathered only when dy is there.
 */
export function patchesLowering(chunkBytes: number): Lowering<'conv2dBackpropFilter'> {
  return (graph, node, [x, dy], [xType, dyType]) => {
    const { strides, pads, filterShape } = node.attrs;
    const [n, c, h, w] = xType!.shape as [number, number, number, number];
    const [, o, oh, ow] = dyType!.shape as [number, number, number, number];
    const [kh, kw] = filterShape.slice(2) as [number, number];
    const taps = kh * kw;
    const perChunk = Math.min(n, Math.max(1, Math.floor(chunkBytes / (c * taps * oh * ow * 4))));
    const oneHot = graph.constant('float32', [taps, 1, kh, kw], Array.from({ length: taps * taps }, (_, i) => (Math.floor(i / taps) === i % taps ? 1 : 0)));
    const filter = afterValue(graph, oneHot, dy!, 4); // [KH*KW, 1, KH, KW]
    const images = graph.op('Reshape', [x!, graph.int64s([n * c, 1, h, w])]); // [N*C, 1, H, W]
    const dys = graph.op('Reshape', [dy!, graph.int64s([n, o, oh * ow])]); // [N, O, H'*W']
    const partials: string[] = [];
    for (let start = 0; start < n; start += perChunk) {
      const m = Math.min(perChunk, n - start);
      const whole = m === n;
      const chunk = whole ? images : graph.op('Slice', [images, graph.int64s([start * c]), graph.int64s([(start + m) * c]), graph.int64s([0])]); // [m*C, 1, H, W]
      const dyChunk = whole ? dys : graph.op('Slice', [dys, graph.int64s([start]), graph.int64s([start + m]), graph.int64s([0])]); // [m, O, H'*W']
      const cols = graph.op('Conv', [chunk, filter], { strides: { ints: strides }, pads: { ints: pads }, kernel_shape: { ints: [kh, kw] } }); // [m*C, KH*KW, H', W']
      const patches = graph.op('Reshape', [cols, graph.int64s([m, c * taps, oh * ow])]); // [m, C*KH*KW, H'*W']
      const perImage = graph.op('MatMul', [patches, graph.op('Transpose', [dyChunk], { perm: { ints: [0, 2, 1] } })]); // [m, C*KH*KW, O]
      partials.push(graph.op('ReduceSum', [perImage, graph.int64s([0])], { keepdims: { int: 0 } })); // [C*KH*KW, O]
    }
    const dwt = partials.length === 1 ? partials[0]! : graph.op('Sum', partials); // [C*KH*KW, O]
    return graph.op('Reshape', [graph.op('Transpose', [dwt], { perm: { ints: [1, 0] } }), graph.int64s(filterShape)]); // [O, C, KH, KW]
  };
}

export const conv2dBackpropFilterPatchesLowering = patchesLowering(PATCHES_CHUNK_BYTES);
