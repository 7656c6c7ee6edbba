/**
 * Float64 loops for the ops whose large-shape paths the conformance suite's
 * small cases do not reach (GEMM tiles and split-K, tree reductions). Test
 * code only: a driver's tests may not import the reference driver.
 */
export function matmulOracle(a: ArrayLike<number>, b: ArrayLike<number>, M: number, N: number, K: number, ta: boolean, tb: boolean): Float64Array {
  const y = new Float64Array(M * N);
  for (let m = 0; m < M; m++) {
    for (let n = 0; n < N; n++) {
      let s = 0;
      for (let k = 0; k < K; k++) s += a[ta ? k * M + m : m * K + k]! * b[tb ? n * K + k : k * N + n]!;
      y[m * N + n] = s;
    }
  }
  return y;
}

export interface ConvDims {
  readonly n: number;
  readonly c: number;
  readonly h: number;
  readonly w: number;
  readonly o: number;
  readonly kh: number;
  readonly kw: number;
  readonly strides: readonly [number, number];
  readonly pads: readonly [number, number, number, number];
}

export function convOut(d: ConvDims): [number, number] {
  return [Math.floor((d.h + d.pads[0] + d.pads[2] - d.kh) / d.strides[0]) + 1, Math.floor((d.w + d.pads[1] + d.pads[3] - d.kw) / d.strides[1]) + 1];
}

/** Visits every term x[n,c,ih,iw] * w[o,c,p,q] -> y[n,o,i,j] of a convolution, with flat indices. */
export function convTerms(d: ConvDims, visit: (xi: number, wi: number, yi: number) => void): void {
  const [ho, wo] = convOut(d);
  for (let n = 0; n < d.n; n++)
    for (let o = 0; o < d.o; o++)
      for (let i = 0; i < ho; i++)
        for (let j = 0; j < wo; j++)
          for (let c = 0; c < d.c; c++)
            for (let p = 0; p < d.kh; p++)
              for (let q = 0; q < d.kw; q++) {
                const ih = i * d.strides[0] - d.pads[0] + p;
                const iw = j * d.strides[1] - d.pads[1] + q;
                if (ih < 0 || iw < 0 || ih >= d.h || iw >= d.w) continue;
                visit(((n * d.c + c) * d.h + ih) * d.w + iw, ((o * d.c + c) * d.kh + p) * d.kw + q, ((n * d.o + o) * ho + i) * wo + j);
              }
}

/** Sum or max of x [outer, terms, inner] over the middle axis. */
export function reduceOracle(x: ArrayLike<number>, outer: number, terms: number, inner: number, op: 'sum' | 'max'): Float64Array {
  const y = new Float64Array(outer * inner).fill(op === 'sum' ? 0 : -Infinity);
  for (let a = 0; a < outer; a++)
    for (let t = 0; t < terms; t++)
      for (let b = 0; b < inner; b++) {
        const v = x[(a * terms + t) * inner + b]!;
        const k = a * inner + b;
        y[k] = op === 'sum' ? y[k]! + v : Math.max(y[k]!, v);
      }
  return y;
}
