/**
 * Area resampling ("box filter", OpenCV's INTER_AREA): each output pixel is
 * the mean of the source area it covers, source pixels cut by the area's edge
 * counting by the fraction inside. Downscaling by a whole factor (STL-10's
 * 96 -> 32) is then the plain k x k mean, so no detail aliases into the
 * small image as it would with bilinear sampling; upscaling comes out as
 * nearest-neighbour blocks with blended seams. Results round half up.
 */

/** One output coordinate: the source indices it covers and their weights (summing to 1). */
interface Taps {
  readonly index: Int32Array;
  readonly weight: Float64Array;
  /** Taps of output i are entries start[i] .. start[i + 1] - 1. */
  readonly start: Int32Array;
}

function axisTaps(inSize: number, outSize: number): Taps {
  const scale = inSize / outSize;
  const index: number[] = [];
  const weight: number[] = [];
  const start = new Int32Array(outSize + 1);
  for (let o = 0; o < outSize; o++) {
    start[o] = index.length;
    const from = o * scale;
    const to = (o + 1) * scale;
    for (let s = Math.floor(from); s < Math.min(inSize, Math.ceil(to)); s++) {
      const overlap = Math.min(s + 1, to) - Math.max(s, from);
      if (overlap > 1e-12) {
        index.push(s);
        weight.push(overlap / scale);
      }
    }
  }
  start[outSize] = index.length;
  return { index: Int32Array.from(index), weight: Float64Array.from(weight), start };
}

/** A reusable resizer from channels x inHeight x inWidth to channels x outHeight x outWidth (uint8, planar). */
export class AreaResizer {
  readonly #rows: Taps;
  readonly #cols: Taps;
  /** channels x inHeight x outWidth, the horizontal pass. */
  readonly #scratch: Float64Array;

  constructor(
    readonly channels: number,
    readonly inHeight: number,
    readonly inWidth: number,
    readonly outHeight: number,
    readonly outWidth: number,
  ) {
    for (const [name, value] of Object.entries({ channels, inHeight, inWidth, outHeight, outWidth })) {
      if (!Number.isInteger(value) || value < 1) throw new Error(`AreaResizer: ${name} must be a positive integer, got ${value}`);
    }
    this.#rows = axisTaps(inHeight, outHeight);
    this.#cols = axisTaps(inWidth, outWidth);
    this.#scratch = new Float64Array(channels * inHeight * outWidth);
  }

  /** Resizes the image at src[srcOffset ..] into out[outOffset ..]. */
  resize(src: Uint8Array, srcOffset: number, out: Uint8Array, outOffset: number): void {
    const { channels, inHeight, inWidth, outHeight, outWidth } = this;
    const rows = this.#rows;
    const cols = this.#cols;
    const tmp = this.#scratch;
    for (let c = 0; c < channels; c++) {
      for (let y = 0; y < inHeight; y++) {
        const srcRow = srcOffset + (c * inHeight + y) * inWidth;
        const tmpRow = (c * inHeight + y) * outWidth;
        for (let ox = 0; ox < outWidth; ox++) {
          let sum = 0;
          for (let t = cols.start[ox]!; t < cols.start[ox + 1]!; t++) sum += cols.weight[t]! * src[srcRow + cols.index[t]!]!;
          tmp[tmpRow + ox] = sum;
        }
      }
      for (let oy = 0; oy < outHeight; oy++) {
        const outRow = outOffset + (c * outHeight + oy) * outWidth;
        for (let ox = 0; ox < outWidth; ox++) {
          let sum = 0;
          for (let t = rows.start[oy]!; t < rows.start[oy + 1]!; t++) sum += rows.weight[t]! * tmp[(c * inHeight + rows.index[t]!) * outWidth + ox]!;
          // The epsilon keeps a mean of exactly k + 0.5 from rounding down through float error.
          out[outRow + ox] = Math.min(255, Math.floor(sum + 0.5 + 1e-9));
        }
      }
    }
  }
}
