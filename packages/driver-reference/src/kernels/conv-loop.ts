import type { ConvGeometry, Shape } from '@ltssl/core';

/**
 * The one loop nest behind conv2d and both of its gradients: it visits every
 * (n, o, c, i, j, p, q) term of the cross-correlation whose input pixel
 * (i*sh - top + p, j*sw - left + q) lies inside x, and hands the flat indices of
 * x [N,C,H,W], w [O,C,KH,KW] and y [N,O,H',W'] to `term`. The three ops differ
 * only in which of the three they accumulate into, so they cannot disagree on
 * padding or stride conventions.
 */
export function forEachConvTerm(x: Shape, w: Shape, y: Shape, { strides, pads }: ConvGeometry, term: (xi: number, wi: number, yi: number) => void): void {
  const [n, c, h, wd] = x as [number, number, number, number];
  const [o, , kh, kw] = w as [number, number, number, number];
  const [, , oh, ow] = y as [number, number, number, number];
  const [sh, sw] = strides as [number, number];
  const [top, left] = pads as [number, number];
  for (let b = 0; b < n; b++) {
    for (let f = 0; f < o; f++) {
      for (let i = 0; i < oh; i++) {
        for (let j = 0; j < ow; j++) {
          const yi = ((b * o + f) * oh + i) * ow + j;
          for (let ch = 0; ch < c; ch++) {
            for (let p = 0; p < kh; p++) {
              const r = i * sh - top + p;
              if (r < 0 || r >= h) continue;
              for (let q = 0; q < kw; q++) {
                const s = j * sw - left + q;
                if (s < 0 || s >= wd) continue;
                term(((b * c + ch) * h + r) * wd + s, ((f * c + ch) * kh + p) * kw + q, yi);
              }
            }
          }
        }
      }
    }
  }
}
