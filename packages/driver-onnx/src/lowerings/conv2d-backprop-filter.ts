import type { Lowering } from './lowering.js';

/**
 * dw[o,c,p,q] = sum_{n,i,j} dy[n,o,i,j] xpad[n,c,i*sh+p, j*sw+q] has no ONNX op.
 * For each kernel tap (p, q) it is one GEMM: the strided slice of the padded
 * input that tap sees, [C, N*H'*W'], against dy as [O, N*H'*W'], giving [O, C].
 * The KH*KW results are stacked into [O, C, KH, KW].
 *
 * Measured against the textbook alternative (one Conv of x^T with dy^T as a
 * dilated filter, which ORT runs as a GEMM with only KH*KW columns): on
 * ResNet-18's backward this form is faster; see docs/drivers/onnx.md.
 */
export const conv2dBackpropFilterLowering: Lowering<'conv2dBackpropFilter'> = (graph, node, [x, dy], [xType, dyType]) => {
  const { strides, pads, filterShape } = node.attrs;
  const [n, c] = xType!.shape as [number, number];
  const [, o, oh, ow] = dyType!.shape as [number, number, number, number];
  const [kh, kw] = filterShape.slice(2) as [number, number];
  const [sh, sw] = strides as [number, number];
  const [top, left, bottom, right] = pads as [number, number, number, number];
  const swap = { perm: { ints: [1, 0, 2, 3] } };
  const dyt = graph.op('Reshape', [graph.op('Transpose', [dy!], swap), graph.int64s([o, n * oh * ow])]); // [O, N*H'*W']
  const rows = graph.int64s([c, n * oh * ow]);
  const axes = graph.int64s([2, 3]);
  const steps = graph.int64s([sh, sw]);
  const ends = (p: number, q: number) => graph.int64s([p + (oh - 1) * sh + 1, q + (ow - 1) * sw + 1]);
  if (kh * kw === 1 && top + left + bottom + right === 0) {
    // One tap and no pad (a 1x1 shortcut): x is sliced before it is transposed, a quarter of it at stride 2.
    const seen = graph.op('Slice', [x!, graph.int64s([0, 0]), ends(0, 0), axes, steps]); // [N, C, H', W']
    const tap = graph.op('Gemm', [dyt, graph.op('Reshape', [graph.op('Transpose', [seen], swap), rows])], { transB: { int: 1 } }); // [O, C]
    return graph.op('Reshape', [tap, graph.int64s(filterShape)]); // [O, C, 1, 1]
  }
  let xt = graph.op('Transpose', [x!], swap); // [C, N, H, W]
  if (top + left + bottom + right > 0) xt = graph.op('Pad', [xt, graph.int64s([0, 0, top, left, 0, 0, bottom, right])]); // [C, N, Hp, Wp]
  const column = graph.int64s([o, c, 1]);
  const taps: string[] = [];
  for (let p = 0; p < kh; p++) {
    for (let q = 0; q < kw; q++) {
      const seen = graph.op('Slice', [xt, graph.int64s([p, q]), ends(p, q), axes, steps]); // [C, N, H', W']
      const tap = graph.op('Gemm', [dyt, graph.op('Reshape', [seen, rows])], { transB: { int: 1 } }); // [O, C]
      taps.push(graph.op('Reshape', [tap, column])); // [O, C, 1]
    }
  }
  const stacked = taps.length === 1 ? taps[0]! : graph.op('Concat', taps, { axis: { int: 2 } }); // [O, C, KH*KW]
  return graph.op('Reshape', [stacked, graph.int64s(filterShape)]); // [O, C, KH, KW]
};
