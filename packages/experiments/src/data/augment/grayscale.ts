/**
 * Luma weights of torchvision's rgb_to_grayscale on tensors (ITU-R 601-2 as
 * torchvision rounds them), used by grayscale, contrast and saturation alike.
 */
export const LUMA = [0.2989, 0.587, 0.114] as const;

/** The grey level of pixel p of a 3-channel planar image with `plane` pixels per channel. */
export function luma(image: Float32Array, plane: number, p: number): number {
  return LUMA[0] * image[p]! + LUMA[1] * image[plane + p]! + LUMA[2] * image[2 * plane + p]!;
}
