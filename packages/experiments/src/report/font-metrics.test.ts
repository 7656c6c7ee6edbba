import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseFontMetrics } from './font-metrics.js';
import { reportFonts } from './report-fonts.js';

const bbox = async (text: string, bold: boolean): Promise<number> => {
  const { Resvg } = (await import('@resvg/resvg-js')).default;
  const fonts = reportFonts();
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="900" height="60"><text x="10" y="40" font-family="DejaVu Sans" font-size="20" font-weight="${bold ? 'bold' : 'normal'}">${text}</text></svg>`;
  return new Resvg(svg, { font: { fontFiles: [...fonts.files], loadSystemFonts: false } }).getBBox()!.width;
};

describe('parseFontMetrics', () => {
  const [regular, bold] = reportFonts().files.map((f) => parseFontMetrics(new Uint8Array(readFileSync(f))));

  it('measures text as wide as resvg draws it with the same font (ink box within side bearings)', async () => {
    for (const [text, isBold] of [
      ['pre-training set size n', false],
      ['Δ(n, r): relative accuracy lost', true],
      ['supervised (SL) ± 0.41 − 1,000', false],
    ] as const) {
      const measured = (isBold ? bold! : regular!).width(text, 20);
      const drawn = await bbox(text, isBold);
      // The ink box leaves out the first glyph's left and the last glyph's right bearing: a few pixels at 20 px.
      expect(measured, text).toBeGreaterThan(drawn);
      expect(measured - drawn, text).toBeLessThan(6);
    }
  });

  it('scales with the font size, gives bold more width, and finds the non-ASCII glyphs the figures use', () => {
    expect(regular!.width('1,000', 22)).toBeCloseTo(2 * regular!.width('1,000', 11), 9);
    expect(bold!.width('method (arm)', 12)).toBeGreaterThan(regular!.width('method (arm)', 12));
    expect(regular!.width('', 12)).toBe(0);
    // A code point the font lacks falls back to the .notdef glyph; Δ, − and ± must not be that.
    const notdef = regular!.width('\u{E000}', 12);
    for (const c of ['Δ', '−', '±']) expect(regular!.width(c, 12), c).not.toBe(notdef);
  });

  it('refuses a file that is not a TrueType font, naming what is wrong', () => {
    const bytes = new Uint8Array(64);
    expect(() => parseFontMetrics(bytes)).toThrow(/not a TrueType font .*no 'head' table/);
  });
});
