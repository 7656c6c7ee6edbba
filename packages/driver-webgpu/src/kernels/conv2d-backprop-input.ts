import type { Kernel } from './kernel.js';
import { CONV_WGSL, convParams, convShape } from './conv-geometry.js';
import { gemmPlan } from './gemm.js';

/**
 * Implicit GEMM over the transposed convolution: dx[c, (n,h,v)] = sum over
 * k = (o,p,q) of w[o, c, p, q] dy[n, o, i, j] where i*sh-top+p = h and
 * j*sw-left+q = v. M = C, N = batch*H*W, K = O*KH*KW; a tap whose (h+top-p)
 * is not a multiple of the stride reads 0.
 */
export const conv2dBackpropInputKernel: Kernel<'conv2dBackpropInput'> = ({ node, inputs, output }) => {
  const s = convShape(output.shape, inputs[1]!.shape, inputs[0]!.shape, node.attrs.strides, node.attrs.pads);
  const taps = s.kernelH * s.kernelW;
  return gemmPlan({
    kernel: 'conv2dBackpropInput',
    M: s.channels,
    N: s.batch * s.height * s.width,
    K: s.outChannels * taps,
    a: { kind: 'input', index: 1 },
    b: { kind: 'input', index: 0 },
    aMajor: 'k',
    bMajor: 'n',
    loadA: `${CONV_WGSL.replace(/xin\[/g, 'a[')}
fn loadA(m: u32, k: u32) -> f32 {
  let taps = cKh() * cKw();
  return a[((k / taps) * cC() + m) * taps + k % taps];
}`,
    loadB: `fn loadB(k: u32, n: u32) -> f32 {
  let taps = cKh() * cKw();
  let o = k / taps; let pq = k % taps;
  let hw = cH() * cW();
  let nb = n / hw; let hv = n % hw;
  let th = i32(hv / cW()) + cTop() - i32(pq / cKw());
  let tw = i32(hv % cW()) + cLeft() - i32(pq % cKw());
  if (th < 0 || tw < 0) { return 0.0; }
  let i = u32(th) / cSh(); let j = u32(tw) / cSw();
  if (u32(th) % cSh() != 0u || u32(tw) % cSw() != 0u || i >= cHo() || j >= cWo()) { return 0.0; }
  return b[((nb * cO() + o) * cHo() + i) * cWo() + j];
}`,
    store: `fn storeC(m: u32, n: u32, v: f32) {
  let hw = cH() * cW();
  c[((n / hw) * cC() + m) * hw + n % hw] = v;
}`,
    params: convParams(s),
  });
};
