/**
 * Advance widths from a TrueType font, enough to lay out a figure's text the
 * way resvg will draw it: vega's own estimate (0.8 em a character) is far
 * wider than DejaVu Sans, which left wide blank margins and misplaced labels.
 * Reads the tables that matter (head, hhea, hmtx, and a format-4 cmap) and
 * ignores kerning, which moves a label by a fraction of a pixel.
 */
export interface FontMetrics {
  /** Width of `text` at `fontSize` pixels. */
  width(text: string, fontSize: number): number;
}

function fail(what: string): never {
  throw new Error(`font file is not a TrueType font vega can measure with: ${what}; reinstall dejavu-fonts-ttf with 'npm ci'`);
}

export function parseFontMetrics(bytes: Uint8Array): FontMetrics {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const tables = new Map<string, number>();
  const numTables = view.getUint16(4);
  for (let i = 0; i < numTables; i++) {
    const record = 12 + 16 * i;
    tables.set(String.fromCharCode(...bytes.subarray(record, record + 4)), view.getUint32(record + 8));
  }
  const table = (tag: string): number => tables.get(tag) ?? fail(`no '${tag}' table`);
  const unitsPerEm = view.getUint16(table('head') + 18);
  const longMetrics = view.getUint16(table('hhea') + 34);
  const hmtx = table('hmtx');
  const advance = (glyph: number): number => view.getUint16(hmtx + 4 * Math.min(glyph, longMetrics - 1));
  const glyphOf = cmapFormat4(view, table('cmap'));
  const cache = new Map<number, number>();
  return {
    width(text, fontSize) {
      let units = 0;
      for (const char of text) {
        const code = char.codePointAt(0)!;
        let a = cache.get(code);
        if (a === undefined) cache.set(code, (a = advance(glyphOf(code))));
        units += a;
      }
      return (units * fontSize) / unitsPerEm;
    },
  };
}

/** The Unicode BMP subtable (platform 3 encoding 1, or platform 0): code point -> glyph id, 0 when absent. */
function cmapFormat4(view: DataView, cmap: number): (code: number) => number {
  const count = view.getUint16(cmap + 2);
  let sub = -1;
  for (let i = 0; i < count; i++) {
    const platform = view.getUint16(cmap + 4 + 8 * i);
    const encoding = view.getUint16(cmap + 6 + 8 * i);
    const offset = cmap + view.getUint32(cmap + 8 + 8 * i);
    if (view.getUint16(offset) === 4 && ((platform === 3 && encoding === 1) || platform === 0)) {
      sub = offset;
      break;
    }
  }
  if (sub < 0) fail('no format-4 Unicode cmap');
  const segments = view.getUint16(sub + 6) / 2;
  const ends = sub + 14;
  const starts = ends + 2 * segments + 2;
  const deltas = starts + 2 * segments;
  const rangeOffsets = deltas + 2 * segments;
  return (code) => {
    if (code > 0xffff) return 0;
    for (let i = 0; i < segments; i++) {
      if (view.getUint16(ends + 2 * i) < code) continue;
      const start = view.getUint16(starts + 2 * i);
      if (start > code) return 0;
      const delta = view.getInt16(deltas + 2 * i);
      const rangeOffset = view.getUint16(rangeOffsets + 2 * i);
      if (rangeOffset === 0) return (code + delta) & 0xffff;
      const glyph = view.getUint16(rangeOffsets + 2 * i + rangeOffset + 2 * (code - start));
      return glyph === 0 ? 0 : (glyph + delta) & 0xffff;
    }
    return 0;
  };
}
