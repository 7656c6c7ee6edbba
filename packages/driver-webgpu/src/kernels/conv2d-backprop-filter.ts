import type { Kernel } from './kernel.js';
import { CONV_WGSL, convParams, convShape } from './conv-geometry.js';
import { gemmPlan } from './gemm.js';

/**
 * Implicit GEMM: dw[o, (c,p,q)] = sum over k = (n,i,j) of dy[n, o, i, j]
 * x[n, c, i*sh-top+p, j*sw-left+q]. M = O, N = C*KH*KW, K = batch*H'*W'. The
 * output is row-major [O, C*KH*KW], so a long K is split across workgroups.
 */
export const conv2dBackpropFilterKernel: Kernel<'conv2dBackpropFilter'> = ({ node, inputs, output }) => {
  const s = convShape(inputs[0]!.shape, output.shape, inputs[1]!.shape, node.attrs.strides, node.attrs.pads);
  const taps = s.kernelH * s.kernelW;
  return gemmPlan({
    kernel: 'conv2dBackpropFilter',
    M: s.outChannels,
    N: s.channels * taps,
    K: s.batch * s.outH * s.outW,
    a: { kind: 'input', index: 1 },
    b: { kind: 'input', index: 0 },
    aMajor: 'k',
    bMajor: 'k',
    loadA: `fn loadA(m: u32, k: u32) -> f32 {
  let hw = prm(15u) * prm(16u);
  return a[((k / hw) * prm(12u) + m) * hw + k % hw];
}`,
    loadB: `${CONV_WGSL.replace(/xin\[/g, 'b[')}
fn loadB(k: u32, n: u32) -> f32 {
  let taps = cKh() * cKw();
  let c = n / taps; let pq = n % taps;
  let hw = cHo() * cWo();
  let nb = k / hw; let ij = k % hw;
  let ih = i32((ij / cWo()) * cSh() + pq / cKw()) - cTop();
  let iw = i32((ij % cWo()) * cSw() + pq % cKw()) - cLeft();
  return inputAt(nb, c, ih, iw);
}`,
    params: convParams(s),
  });
};
