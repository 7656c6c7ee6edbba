import type { Kernel } from './kernel.js';
import { CONV_WGSL, convParams, convShapeOf } from './conv-geometry.js';
import { autoSplits, implicitGemmPlan } from './conv-gemm.js';
import { convTileFor } from './conv-tiles.js';

/**
 * Implicit GEMM: dw[o, (c,p,q)] = sum over k = (n,i,j) of dy[n, o, i, j]
 * x[n, c, i*sh-top+p, j*sw-left+q]. M = O, N = C*KH*KW, K = batch*H'*W'
 * walked image by image, a tile of output pixels at a time. Both operands are
 * loaded along k (neighbouring output pixels are neighbouring in dy and, at
 * stride 1, in x); dy four pixels at a time as a vec4 when an image's pixels
 * come in fours. A thread's filter tap and channel are decoded once, before
 * the K loop. The output is row-major [O, C*KH*KW], so a long K with few
 * output tiles is split across workgroups (partials summed by one more pass).
 */
export const conv2dBackpropFilterKernel: Kernel<'conv2dBackpropFilter'> = ({ node, inputs, output, convTiles }) => {
  const s = convShapeOf('conv2dBackpropFilter', inputs.map((i) => i.shape), output.shape, node.attrs.strides, node.attrs.pads);
  const tile = convTileFor('conv2dBackpropFilter', s, convTiles);
  const taps = s.kernelH * s.kernelW;
  const hw = s.outH * s.outW;
  const ijTiles = Math.ceil(hw / tile.bk);
  const M = s.outChannels;
  const N = s.channels * taps;
  const tiles = s.batch * ijTiles;
  const vec4 = hw % 4 === 0 && (tile.bm * tile.bk) / 4 >= (tile.bm / tile.tm) * (tile.bn / tile.tn);
  const splits = tile.split || autoSplits(Math.ceil(M / tile.bm) * Math.ceil(N / tile.bn), tiles);
  return implicitGemmPlan({
    kernel: 'conv2dBackpropFilter',
    M,
    N,
    tile,
    helpers: CONV_WGSL.replace(/xin\[/g, 'b['),
    z: 1,
    tiles,
    tileSetup: `    let nb = tile / prm(4u); let ij0 = (tile % prm(4u)) * ${tile.bk}u;`,
    // dy [batch, O, H', W'] as [O, K].
    a: {
      buffer: { kind: 'input', index: 1 },
      mapping: vec4 ? 'k4' : 'k',
      setup: (o, sfx) => `  let aRow${sfx} = ${o} * cHw();`,
      perTile: (kl) => `    let aIj = ij0 + ${kl}; let aImg = nb * cO() * cHw();`,
      load: (_o, _kl, sfx) => `        if (aIj < cHw()) { v = a[${vec4 ? `(aImg + aRow${sfx} + aIj) >> 2u` : `aImg + aRow${sfx} + aIj`}]; }`,
    },
    // x [batch, C, H, W] as [K, C*KH*KW].
    b: {
      buffer: { kind: 'input', index: 0 },
      mapping: 'k',
      setup: (n, sfx) => `  let bTap${sfx} = ${n} % cTaps(); let bPlane${sfx} = (${n} / cTaps()) * cH() * cW();
  let bP${sfx} = i32(bTap${sfx} / cKw()) - cTop(); let bQ${sfx} = i32(bTap${sfx} % cKw()) - cLeft();`,
      perTile: (kl) => `    let bIj = ij0 + ${kl}; let bI = bIj / cWo(); let bJ = bIj - bI * cWo();
    let bImg = nb * cC() * cH() * cW(); let bIn = bIj < cHw();`,
      load: (_n, _kl, sfx) => `        let ih = i32(bI * cSh()) + bP${sfx}; let iw = i32(bJ * cSw()) + bQ${sfx};
        if (bIn && ih >= 0 && iw >= 0 && ih < i32(cH()) && iw < i32(cW())) { v = b[bImg + bPlane${sfx} + u32(ih) * cW() + u32(iw)]; }`,
    },
    store: { kind: 'rowMajor' },
    splits,
    aux: [ijTiles],
    params: convParams(s),
  });
};
