/** The size of a two-view small-CNN step case (BYOL's, SDCLR's): encoder width, images, batch, head widths, seed. */
export interface TwoViewStepShape {
  readonly width: number;
  readonly channels: number;
  readonly size: number;
  readonly batch: number;
  readonly hiddenDim: number;
  readonly projectorDim: number;
  readonly seed: number;
}
