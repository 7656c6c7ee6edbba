import type { Kernel } from './kernel.js';
import { CONV_WGSL, convParams, convShapeOf } from './conv-geometry.js';
import { implicitGemmPlan } from './conv-gemm.js';
import { convTileFor } from './conv-tiles.js';

/**
 * Implicit GEMM: y[o, (n,i,j)] = sum over k of w[o, k] x[n, c, i*sh-top+p, j*sw-left+q].
 * M = O, N = batch*H'*W', the im2col matrix read straight from x inside the
 * tile loads and never stored. K is walked a channel block at a time and,
 * within it, tap by tap (k = (block, p, q, c)): the tap and the block are
 * uniform over a tile, so a thread's input address is its pixel's offset
 * (computed once, before the K loop) plus a per-tile term, and the nine taps
 * of one block reread the same input rows and weights while they are cached.
 * Fewer input channels than a tile is deep (the RGB stem) walk k = (c, p, q)
 * flat instead, with the division per element.
 */
export const conv2dKernel: Kernel<'conv2d'> = ({ node, inputs, output, convTiles }) => {
  const s = convShapeOf('conv2d', inputs.map((i) => i.shape), output.shape, node.attrs.strides, node.attrs.pads);
  const tile = convTileFor('conv2d', s, convTiles);
  const taps = s.kernelH * s.kernelW;
  const flat = s.channels < tile.bk;
  const K = s.channels * taps;
  return implicitGemmPlan({
    kernel: 'conv2d',
    M: s.outChannels,
    N: s.batch * s.outH * s.outW,
    tile,
    helpers: `${CONV_WGSL.replace(/xin\[/g, 'b[')}
fn inImage(ih: i32, iw: i32) -> bool { return ih >= 0 && iw >= 0 && ih < i32(cH()) && iw < i32(cW()); }`,
    z: 1,
    tiles: flat ? Math.ceil(K / tile.bk) : Math.ceil(s.channels / tile.bk) * taps,
    tileSetup: flat
      ? `    let k0 = tile * ${tile.bk}u;`
      : `    let cb = tile / cTaps(); let tap = tile % cTaps();
    let p = tap / cKw(); let q = tap % cKw();
    let c0 = cb * ${tile.bk}u;`,
    // w [O, C, KH, KW]: neighbouring threads take neighbouring k.
    a: {
      buffer: { kind: 'input', index: 1 },
      mapping: 'k',
      setup: (o, sfx) => `  let aRow${sfx} = ${o} * cC() * cTaps();`,
      perTile: (kl) => (flat ? `    let aK = k0 + ${kl};` : `    let aC = c0 + ${kl};`),
      load: (_o, _kl, sfx) => (flat ? `        if (aK < cC() * cTaps()) { v = a[aRow${sfx} + aK]; }` : `        if (aC < cC()) { v = a[aRow${sfx} + aC * cTaps() + tap]; }`),
    },
    // x [batch, C, H, W] as im2col [K, N]: neighbouring threads take neighbouring output pixels.
    b: {
      buffer: { kind: 'input', index: 0 },
      mapping: 'outer',
      setup: (n, sfx) => `  let bNb${sfx} = ${n} / cHw(); let bIj${sfx} = ${n} % cHw();
  let bIh${sfx} = i32((bIj${sfx} / cWo()) * cSh()) - cTop(); let bIw${sfx} = i32((bIj${sfx} % cWo()) * cSw()) - cLeft();
  let bImg${sfx} = bNb${sfx} * cC() * cH() * cW();`,
      load: (_n, kl, sfx) =>
        flat
          ? `        let k = k0 + ${kl}; let c = k / cTaps(); let pq = k % cTaps();
        let ih = bIh${sfx} + i32(pq / cKw()); let iw = bIw${sfx} + i32(pq % cKw());
        if (k < cC() * cTaps() && inImage(ih, iw)) { v = b[bImg${sfx} + (c * cH() + u32(ih)) * cW() + u32(iw)]; }`
          : `        let c = c0 + ${kl}; let ih = bIh${sfx} + i32(p); let iw = bIw${sfx} + i32(q);
        if (c < cC() && inImage(ih, iw)) { v = b[bImg${sfx} + (c * cH() + u32(ih)) * cW() + u32(iw)]; }`,
    },
    store: {
      kind: 'custom',
      setup: (n, sfx) => `  let sNb${sfx} = ${n} / cHw(); let sIj${sfx} = ${n} % cHw();`,
      valid: (sfx) => `${sfx}N < N`,
      write: (m, v, sfx) => `c[(sNb${sfx} * cO() + ${m}) * cHw() + sIj${sfx}] = ${v};`,
    },
    splits: 1,
    aux: [],
    params: convParams(s),
  });
};
