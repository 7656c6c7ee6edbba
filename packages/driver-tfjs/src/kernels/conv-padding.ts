import type { ConvGeometry } from '@ltssl/core';

/** tfjs's explicit padding for NHWC: [[0, 0], [top, bottom], [left, right], [0, 0]]. */
export type ExplicitPadding = [[number, number], [number, number], [number, number], [number, number]];

export function explicitPadding({ pads }: ConvGeometry): ExplicitPadding {
  const [top, left, bottom, right] = pads as [number, number, number, number];
  return [
    [0, 0],
    [top, bottom],
    [left, right],
    [0, 0],
  ];
}
