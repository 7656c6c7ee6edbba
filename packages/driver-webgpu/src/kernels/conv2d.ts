import type { Kernel } from './kernel.js';
import { CONV_WGSL, convParams, convShape } from './conv-geometry.js';
import { gemmPlan } from './gemm.js';

/**
 * Implicit GEMM: y[o, (n,i,j)] = sum over k = (c,p,q) of w[o, k] x[n, c, i*sh-top+p, j*sw-left+q].
 * M = O, N = batch*H'*W', K = C*KH*KW; the im2col matrix is read straight from
 * x inside the tile loads and never stored.
 */
export const conv2dKernel: Kernel<'conv2d'> = ({ node, inputs, output }) => {
  const s = convShape(inputs[0]!.shape, inputs[1]!.shape, output.shape, node.attrs.strides, node.attrs.pads);
  const taps = s.kernelH * s.kernelW;
  return gemmPlan({
    kernel: 'conv2d',
    M: s.outChannels,
    N: s.batch * s.outH * s.outW,
    K: s.channels * taps,
    a: { kind: 'input', index: 1 },
    b: { kind: 'input', index: 0 },
    aMajor: 'k',
    bMajor: 'n',
    loadA: `fn loadA(m: u32, k: u32) -> f32 { return a[m * prm(2u) + k]; }`,
    loadB: `${CONV_WGSL.replace(/xin\[/g, 'b[')}
fn loadB(k: u32, n: u32) -> f32 {
  let taps = cKh() * cKw();
  let c = k / taps; let pq = k % taps;
  let hw = cHo() * cWo();
  let nb = n / hw; let ij = n % hw;
  let ih = i32((ij / cWo()) * cSh() + pq / cKw()) - cTop();
  let iw = i32((ij % cWo()) * cSw() + pq % cKw()) - cLeft();
  return inputAt(nb, c, ih, iw);
}`,
    store: `fn storeC(m: u32, n: u32, v: f32) {
  let hw = cHo() * cWo();
  c[((n / hw) * cO() + m) * hw + n % hw] = v;
}`,
    params: convParams(s),
  });
};
