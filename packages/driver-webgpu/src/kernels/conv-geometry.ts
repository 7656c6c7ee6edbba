/**
 * The geometry words every convolution kernel gets from word 8 on, and the
 * WGSL names for them: batch, channels, input and output sizes, filter size,
 * strides and the top/left pads.
 */
export interface ConvShape {
  readonly batch: number;
  readonly channels: number;
  readonly height: number;
  readonly width: number;
  readonly outChannels: number;
  readonly kernelH: number;
  readonly kernelW: number;
  readonly outH: number;
  readonly outW: number;
  readonly strideH: number;
  readonly strideW: number;
  readonly padTop: number;
  readonly padLeft: number;
}

export function convShape(x: readonly number[], w: readonly number[], y: readonly number[], strides: readonly number[], pads: readonly number[]): ConvShape {
  return {
    batch: x[0]!,
    channels: x[1]!,
    height: x[2]!,
    width: x[3]!,
    outChannels: w[0]!,
    kernelH: w[2]!,
    kernelW: w[3]!,
    outH: y[2]!,
    outW: y[3]!,
    strideH: strides[0]!,
    strideW: strides[1]!,
    padTop: pads[0]!,
    padLeft: pads[1]!,
  };
}

/**
 * The geometry of a convolution node of any of the three kinds, from its
 * operands' shapes: conv2d(x, w) -> y, conv2dBackpropInput(dy, w) -> dx,
 * conv2dBackpropFilter(x, dy) -> dw. What the kernels and the tile table key on.
 */
export function convShapeOf(kind: 'conv2d' | 'conv2dBackpropInput' | 'conv2dBackpropFilter', inputs: readonly (readonly number[])[], output: readonly number[], strides: readonly number[], pads: readonly number[]): ConvShape {
  if (kind === 'conv2d') return convShape(inputs[0]!, inputs[1]!, output, strides, pads);
  if (kind === 'conv2dBackpropInput') return convShape(output, inputs[1]!, inputs[0]!, strides, pads);
  return convShape(inputs[0]!, output, inputs[1]!, strides, pads);
}

export function convParams(s: ConvShape): number[] {
  return [s.batch, s.channels, s.height, s.width, s.outChannels, s.kernelH, s.kernelW, s.outH, s.outW, s.strideH, s.strideW, s.padTop, s.padLeft];
}

/** WGSL accessors of the geometry words (prm(8u) ...), shared by the three convolution kernels. */
export const CONV_WGSL = `fn cNb() -> u32 { return prm(8u); }
fn cC() -> u32 { return prm(9u); }
fn cH() -> u32 { return prm(10u); }
fn cW() -> u32 { return prm(11u); }
fn cO() -> u32 { return prm(12u); }
fn cKh() -> u32 { return prm(13u); }
fn cKw() -> u32 { return prm(14u); }
fn cHo() -> u32 { return prm(15u); }
fn cWo() -> u32 { return prm(16u); }
fn cSh() -> u32 { return prm(17u); }
fn cSw() -> u32 { return prm(18u); }
fn cTop() -> i32 { return prmi(19u); }
fn cLeft() -> i32 { return prmi(20u); }
fn cTaps() -> u32 { return cKh() * cKw(); }
fn cHw() -> u32 { return cHo() * cWo(); }
// x[nb, c, ih, iw], or 0 in the padding.
fn inputAt(nb: u32, c: u32, ih: i32, iw: i32) -> f32 {
  if (ih < 0 || iw < 0 || ih >= i32(cH()) || iw >= i32(cW())) { return 0.0; }
  return xin[((nb * cC() + c) * cH() + u32(ih)) * cW() + u32(iw)];
}
`;
