import { reportFonts } from './report-fonts.js';

/** A PNG and its size in pixels. */
export interface RenderedPng {
  readonly png: Uint8Array;
  readonly width: number;
  readonly height: number;
}

/**
 * SVG -> PNG with resvg (Rust, prebuilt per platform inside its npm
 * packages), at `scale` times the SVG's size (2: sharp on high-density
 * screens and in slides). Only the bundled DejaVu fonts are loaded, never the
 * system's, so the same SVG gives the same pixels on every machine. resvg is
 * loaded on first use, like vega (render-svg.ts).
 */
export async function renderPng(svg: string, scale = 2): Promise<RenderedPng> {
  const { Resvg } = (await import('@resvg/resvg-js')).default;
  const fonts = reportFonts();
  const image = new Resvg(svg, {
    font: { fontFiles: [...fonts.files], loadSystemFonts: false, defaultFontFamily: fonts.family, sansSerifFamily: fonts.family },
    fitTo: { mode: 'zoom', value: scale },
    background: 'white',
    logLevel: 'off',
  }).render();
  return { png: new Uint8Array(image.asPng()), width: image.width, height: image.height };
}
