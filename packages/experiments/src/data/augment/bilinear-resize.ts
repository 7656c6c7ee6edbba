/**
 * Bilinear resampling as PIL's Image.resize(BILINEAR) and torchvision's
 * resize(antialias=True) compute it: output pixel o of an axis samples the
 * input at centre (o + 0.5) * scale with a triangle filter widened by the scale
 * when downscaling (so a downscale averages instead of aliasing), and the
 * weights that fall inside the input are renormalised to sum to 1. Upscaling
 * is then ordinary half-pixel-centre bilinear interpolation with clamped edges.
 * Weights are non-negative, so outputs stay within the inputs' range.
 */

/** Filter taps of one axis: output o reads taps start[o] .. start[o + 1] - 1. */
export class AxisTaps {
  readonly index: Int32Array;
  readonly weight: Float32Array;
  readonly start: Int32Array;

  /** Room for outputs up to `maxOut` and a scale up to `maxScale` (input length / output length). */
  constructor(maxOut: number, maxScale: number) {
    const perOutput = 2 * Math.ceil(Math.max(1, maxScale)) + 2;
    this.index = new Int32Array(maxOut * perOutput);
    this.weight = new Float32Array(maxOut * perOutput);
    this.start = new Int32Array(maxOut + 1);
  }

  /**
   * Taps from `inSize` input positions starting at `inStart` (entry offsets
   * are position * `stride`) to `outSize` outputs, each weight multiplied by `gain`
   * (1/255 turns uint8 into [0, 1] for free).
   */
  compute(inStart: number, inSize: number, outSize: number, stride: number, gain: number): void {
    const scale = inSize / outSize;
    const filterScale = Math.max(scale, 1);
    const support = filterScale; // the triangle's half-width (1) times the filter scale
    let n = 0;
    for (let o = 0; o < outSize; o++) {
      this.start[o] = n;
      const center = (o + 0.5) * scale;
      // PIL rounds the window ends to the nearest pixel; pixels outside get no weight.
      const lo = Math.max(Math.trunc(center - support + 0.5), 0);
      const hi = Math.min(Math.trunc(center + support + 0.5), inSize);
      let total = 0;
      const first = n;
      for (let x = lo; x < hi; x++) {
        const w = Math.max(0, 1 - Math.abs((x - center + 0.5) / filterScale));
        if (w === 0) continue;
        this.index[n] = (inStart + x) * stride;
        this.weight[n] = w;
        total += w;
        n++;
      }
      for (let t = first; t < n; t++) this.weight[t] = (this.weight[t]! / total) * gain;
    }
    this.start[outSize] = n;
  }
}

/**
 * Two-tap form of an upscaling axis (scale <= 1), where the filter above is
 * plain linear interpolation at u = (o + 0.5) * scale - 0.5 clamped to the
 * edge pixels: output o = (1 - f) * in[i0] + f * in[i1]. The augmentation's
 * crops are never larger than the output on CIFAR-size images, so this is the
 * hot path; it computes the same weights with 2 fixed taps instead of a tap list.
 */
export class LinearTaps {
  readonly i0: Int32Array;
  readonly i1: Int32Array;
  readonly f: Float32Array;

  constructor(maxOut: number) {
    this.i0 = new Int32Array(maxOut);
    this.i1 = new Int32Array(maxOut);
    this.f = new Float32Array(maxOut);
  }

  compute(inStart: number, inSize: number, outSize: number, stride: number): void {
    const scale = inSize / outSize;
    for (let o = 0; o < outSize; o++) {
      const u = (o + 0.5) * scale - 0.5;
      let x0 = Math.floor(u);
      let f = u - x0;
      if (u <= 0) {
        x0 = 0;
        f = 0;
      } else if (x0 >= inSize - 1) {
        x0 = inSize - 1;
        f = 0;
      }
      this.i0[o] = (inStart + x0) * stride;
      this.i1[o] = (inStart + Math.min(x0 + 1, inSize - 1)) * stride;
      this.f[o] = f;
    }
  }
}

/**
 * Resamples a box of a uint8 planar image (channels x height x width at
 * `srcOffset`) to a float image channels x outHeight x outWidth, scaled by
 * 1/255. Separable: rows first into `scratch`, then columns.
 */
export class BilinearResizer {
  readonly #cols: AxisTaps;
  readonly #rows: AxisTaps;
  readonly #scratch: Float32Array;
  readonly #linearCols: LinearTaps;
  readonly #linearRows: LinearTaps;

  constructor(
    readonly channels: number,
    readonly height: number,
    readonly width: number,
    readonly outHeight: number,
    readonly outWidth: number,
  ) {
    this.#cols = new AxisTaps(outWidth, width / outWidth);
    this.#rows = new AxisTaps(outHeight, height / outHeight);
    this.#scratch = new Float32Array(channels * height * outWidth);
    this.#linearCols = new LinearTaps(outWidth);
    this.#linearRows = new LinearTaps(outHeight);
  }

  /** Resizes the box (top, left, boxHeight, boxWidth) of the image at src[srcOffset ..] into out[0 ..). */
  resize(src: Uint8Array, srcOffset: number, top: number, left: number, boxHeight: number, boxWidth: number, out: Float32Array): void {
    if (boxHeight <= this.outHeight && boxWidth <= this.outWidth) this.#upscale(src, srcOffset, top, left, boxHeight, boxWidth, out);
    else this.resizeGeneral(src, srcOffset, top, left, boxHeight, boxWidth, out);
  }

  /** Both axes upscale (or keep their size): four taps per output pixel, one pass. */
  #upscale(src: Uint8Array, srcOffset: number, top: number, left: number, boxHeight: number, boxWidth: number, out: Float32Array): void {
    const { channels, height, width, outHeight, outWidth } = this;
    const cols = this.#linearCols;
    const rows = this.#linearRows;
    cols.compute(left, boxWidth, outWidth, 1);
    rows.compute(top, boxHeight, outHeight, width);
    const { i0: x0, i1: x1, f: fx } = cols;
    for (let c = 0; c < channels; c++) {
      const plane = srcOffset + c * height * width;
      const outPlane = c * outHeight * outWidth;
      for (let oy = 0; oy < outHeight; oy++) {
        const r0 = plane + rows.i0[oy]!;
        const r1 = plane + rows.i1[oy]!;
        const fy = rows.f[oy]!;
        const outRow = outPlane + oy * outWidth;
        for (let ox = 0; ox < outWidth; ox++) {
          const a = x0[ox]!;
          const b = x1[ox]!;
          const f = fx[ox]!;
          const upper = src[r0 + a]! + f * (src[r0 + b]! - src[r0 + a]!);
          const lower = src[r1 + a]! + f * (src[r1 + b]! - src[r1 + a]!);
          out[outRow + ox] = (upper + fy * (lower - upper)) * (1 / 255);
        }
      }
    }
  }

  /** The general separable path (any scale; the tap lists of AxisTaps). Public so tests can compare both paths. */
  resizeGeneral(src: Uint8Array, srcOffset: number, top: number, left: number, boxHeight: number, boxWidth: number, out: Float32Array): void {
    const { channels, height, width, outHeight, outWidth } = this;
    const cols = this.#cols;
    const rows = this.#rows;
    const tmp = this.#scratch;
    cols.compute(left, boxWidth, outWidth, 1, 1 / 255);
    rows.compute(0, boxHeight, outHeight, outWidth, 1);
    for (let c = 0; c < channels; c++) {
      const plane = srcOffset + c * height * width;
      const tmpPlane = c * boxHeight * outWidth;
      for (let y = 0; y < boxHeight; y++) {
        const srcRow = plane + (top + y) * width;
        const tmpRow = tmpPlane + y * outWidth;
        for (let ox = 0; ox < outWidth; ox++) {
          let sum = 0;
          for (let t = cols.start[ox]!, end = cols.start[ox + 1]!; t < end; t++) sum += cols.weight[t]! * src[srcRow + cols.index[t]!]!;
          tmp[tmpRow + ox] = sum;
        }
      }
      const outPlane = c * outHeight * outWidth;
      for (let oy = 0; oy < outHeight; oy++) {
        const outRow = outPlane + oy * outWidth;
        out.fill(0, outRow, outRow + outWidth);
        for (let t = rows.start[oy]!, end = rows.start[oy + 1]!; t < end; t++) {
          const w = rows.weight[t]!;
          const tmpRow = tmpPlane + rows.index[t]!;
          for (let ox = 0; ox < outWidth; ox++) out[outRow + ox]! += w * tmp[tmpRow + ox]!;
        }
      }
    }
  }
}
