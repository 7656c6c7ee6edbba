import type { Kernel } from './kernel.js';
import { CONV_WGSL, convParams, convShapeOf } from './conv-geometry.js';
import { implicitGemmPlan } from './conv-gemm.js';
import { convTileFor } from './conv-tiles.js';

/**
 * Implicit GEMM of the transposed convolution, one phase at a time:
 * dx[c, (n,h,v)] = sum over (p, q, o) of w[o, c, p, q] dy[n, o, i, j] where
 * i*sh-top+p = h and j*sw-left+q = v. With stride s, output pixel h takes only
 * the taps p = (h + top) mod s (mod s), so the pixels are split by phase
 * (h mod sh, v mod sw), one phase per grid z: every tap a phase walks
 * contributes, and i = h/sh + (phase + top - p)/sh needs no division per
 * element (a stride-2 layer no longer spends 3/4 of its multiply-adds on
 * zeros). M = C, N = batch * ceil(H/sh) * ceil(W/sw), K = O * the phase's taps,
 * walked a channel block at a time, tap by tap.
 */
export const conv2dBackpropInputKernel: Kernel<'conv2dBackpropInput'> = ({ node, inputs, output, convTiles }) => {
  const s = convShapeOf('conv2dBackpropInput', inputs.map((i) => i.shape), output.shape, node.attrs.strides, node.attrs.pads);
  const tile = convTileFor('conv2dBackpropInput', s, convTiles);
  const hq = Math.ceil(s.height / s.strideH);
  const wq = Math.ceil(s.width / s.strideW);
  const bk = tile.bk;
  // Pixel n of a phase: image, row and column on the phase's grid (h = hq*sh + ph).
  const pixel = (n: string, p: string): string => `  let ${p}Nb = ${n} / (prm(4u) * prm(5u)); let ${p}R = ${n} % (prm(4u) * prm(5u));
  let ${p}Hq = ${p}R / prm(5u); let ${p}Wq = ${p}R % prm(5u);
  let ${p}H = ${p}Hq * cSh() + ph; let ${p}W = ${p}Wq * cSw() + pw;`;
  return implicitGemmPlan({
    kernel: 'conv2dBackpropInput',
    M: s.channels,
    N: s.batch * hq * wq,
    tile,
    helpers: CONV_WGSL.replace(/xin\[/g, 'b['),
    z: s.strideH * s.strideW,
    zSetup: `  let ph = zi / cSw(); let pw = zi % cSw();
  let p0 = (ph + u32(cTop())) % cSh(); let q0 = (pw + u32(cLeft())) % cSw();
  let np = select(0u, (cKh() - p0 + cSh() - 1u) / cSh(), p0 < cKh());
  let nq = select(0u, (cKw() - q0 + cSw() - 1u) / cSw(), q0 < cKw());
  let phaseTaps = np * nq;
  let tBegin = 0u;
  let tEnd = phaseTaps * ((cO() + ${bk - 1}u) / ${bk}u);`,
    tiles: 0,
    tileSetup: `    let cb = tile / phaseTaps; let tap = tile % phaseTaps;
    let p = p0 + (tap / nq) * cSh(); let q = q0 + (tap % nq) * cSw();
    let di = (i32(ph) + cTop() - i32(p)) / i32(cSh()); let dj = (i32(pw) + cLeft() - i32(q)) / i32(cSw());
    let o0 = cb * ${bk}u;`,
    // w [O, C, KH, KW] as [C, K]: neighbouring threads take neighbouring c.
    a: {
      buffer: { kind: 'input', index: 1 },
      mapping: 'outer',
      setup: (m, sfx) => `  let aCol${sfx} = ${m} * cTaps();`,
      load: (_m, kl, sfx) => `        let o = o0 + ${kl};
        if (o < cO()) { v = a[o * cC() * cTaps() + aCol${sfx} + p * cKw() + q]; }`,
    },
    // dy [batch, O, H', W'] as [K, N]: neighbouring threads take neighbouring pixels of the phase.
    b: {
      buffer: { kind: 'input', index: 0 },
      mapping: 'outer',
      setup: (n, sfx) => `${pixel(n, `b${sfx}`)}
  let b${sfx}Ok = b${sfx}H < cH() && b${sfx}W < cW();
  let b${sfx}Img = b${sfx}Nb * cO() * cHw();`,
      load: (_n, kl, sfx) => `        let o = o0 + ${kl}; let i = i32(b${sfx}Hq) + di; let j = i32(b${sfx}Wq) + dj;
        if (b${sfx}Ok && o < cO() && i >= 0 && j >= 0 && i < i32(cHo()) && j < i32(cWo())) { v = b[b${sfx}Img + (o * cHo() + u32(i)) * cWo() + u32(j)]; }`,
    },
    store: {
      kind: 'custom',
      setup: (n, sfx) => pixel(n, sfx),
      valid: (sfx) => `${sfx}N < N && ${sfx}H < cH() && ${sfx}W < cW()`,
      write: (m, v, sfx) => `c[((${sfx}Nb * cC() + ${m}) * cH() + ${sfx}H) * cW() + ${sfx}W] = ${v};`,
    },
    splits: 1,
    aux: [hq, wq],
    params: convParams(s),
  });
};
