/** One convolution's geometry: x [N, C, H, W], filter [O, C, KH, KW], pads [top, left, bottom, right]. */
export interface ConvGeometryShape {
  readonly x: readonly number[];
  readonly filter: readonly number[];
  readonly strides: readonly number[];
  readonly pads: readonly number[];
}

/** y's spatial size [H', W'] for this geometry. */
export function convOutputSize({ x, filter, strides, pads }: ConvGeometryShape): [number, number] {
  return [0, 1].map((a) => Math.floor((x[2 + a]! + pads[a]! + pads[a + 2]! - filter[2 + a]!) / strides[a]!) + 1) as [number, number];
}

/**
 * Every term of a direct 2-D convolution, for tests that check a lowering of it
 * or of its gradients against a plain sum: `visit(xi, wi, yi)` gets the flat
 * indices of x[n,c,r,s], w[o,c,p,q] and y[n,o,i,j] with r = i*sh + p - top and
 * s = j*sw + q - left inside x.
 */
export function forEachConvTap(geometry: ConvGeometryShape, visit: (xi: number, wi: number, yi: number) => void): void {
  const { x, filter, strides, pads } = geometry;
  const [n, c, h, w] = x as [number, number, number, number];
  const [o, , kh, kw] = filter as [number, number, number, number];
  const [sh, sw] = strides as [number, number];
  const [oh, ow] = convOutputSize(geometry);
  for (let b = 0; b < n; b++)
    for (let oc = 0; oc < o; oc++)
      for (let i = 0; i < oh; i++)
        for (let j = 0; j < ow; j++)
          for (let cc = 0; cc < c; cc++)
            for (let p = 0; p < kh; p++)
              for (let q = 0; q < kw; q++) {
                const [r, s] = [i * sh + p - pads[0]!, j * sw + q - pads[1]!];
                if (r < 0 || r >= h || s < 0 || s >= w) continue;
                visit(((b * c + cc) * h + r) * w + s, ((oc * c + cc) * kh + p) * kw + q, ((b * o + oc) * oh + i) * ow + j);
              }
}
