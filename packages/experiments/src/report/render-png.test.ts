import { describe, expect, it } from 'vitest';
import { renderPng } from './render-png.js';

const TEXT_ONLY = '<svg xmlns="http://www.w3.org/2000/svg" width="200" height="40"><text x="4" y="28" font-family="DejaVu Sans, sans-serif" font-size="20">Δ(n, r) 85.2%</text></svg>';

/** Non-white pixels, from resvg's RGBA buffer of the same PNG. */
async function inked(svg: string, fonts: boolean): Promise<number> {
  const { Resvg } = (await import('@resvg/resvg-js')).default;
  const options = fonts ? {} : { font: { loadSystemFonts: false, fontFiles: [] } };
  const pixels = new Resvg(svg, { ...options, background: 'white' }).render().pixels;
  let n = 0;
  for (let i = 0; i < pixels.length; i += 4) if (pixels[i]! < 250 || pixels[i + 1]! < 250 || pixels[i + 2]! < 250) n++;
  return n;
}

describe('renderPng', () => {
  it('draws text with the bundled DejaVu Sans (resvg without fonts draws none), at the asked scale', async () => {
    const { png, width, height } = await renderPng(TEXT_ONLY, 2);
    expect([...png.subarray(1, 4)].map((c) => String.fromCharCode(c)).join('')).toBe('PNG');
    expect([width, height]).toEqual([400, 80]);
    expect(await inked(TEXT_ONLY, false)).toBe(0);
    // Decode what renderPng wrote by rendering it back through resvg: an <image> of the PNG.
    const embedded = `<svg xmlns="http://www.w3.org/2000/svg" width="400" height="80"><image width="400" height="80" href="data:image/png;base64,${Buffer.from(png).toString('base64')}"/></svg>`;
    expect(await inked(embedded, false)).toBeGreaterThan(400);
  });

  it('gives the same bytes for the same SVG', async () => {
    const [a, b] = await Promise.all([renderPng(TEXT_ONLY), renderPng(TEXT_ONLY)]);
    expect(Buffer.compare(a.png, b.png)).toBe(0);
  });
});
