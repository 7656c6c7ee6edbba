import { readFileSync } from 'node:fs';
import { parseFontMetrics, type FontMetrics } from './font-metrics.js';
import { reportFonts } from './report-fonts.js';

/** The text item vega asks to measure (the fields it sets on text marks, titles, labels). */
interface TextItem {
  readonly fontSize?: number | string;
  readonly fontWeight?: number | string;
}

/** vega-scenegraph's measuring hook; vega re-exports it but its typings do not list it. */
interface VegaTextMetrics {
  width: (item: TextItem, text: string) => number;
}

let metrics: { regular: FontMetrics; bold: FontMetrics } | undefined;

function fonts(): { regular: FontMetrics; bold: FontMetrics } {
  if (!metrics) {
    const [regular, bold] = reportFonts().files.map((f) => parseFontMetrics(new Uint8Array(readFileSync(f))));
    metrics = { regular: regular!, bold: bold! };
  }
  return metrics;
}

const isBold = (weight: number | string | undefined): boolean => weight === 'bold' || weight === 'bolder' || Number(weight) >= 600;

/**
 * Makes vega measure text with the DejaVu Sans metrics the PNG is drawn with,
 * so titles, labels and legends are laid out (and truncated) to their real
 * width. vega supports replacing `textMetrics.width` for this (vl-convert does
 * the same); it is module state, set once, and only ever set to this.
 */
export function useFigureTextMetrics(vega: unknown): void {
  const textMetrics = (vega as { textMetrics?: VegaTextMetrics }).textMetrics;
  if (!textMetrics || typeof textMetrics.width !== 'function') throw new Error('this vega version exports no textMetrics to measure figure text with; install the version package.json pins (npm ci)');
  textMetrics.width = (item, text) => {
    const size = item.fontSize != null ? Number(item.fontSize) || 0 : 11;
    const line = text == null ? '' : String(text).trim();
    if (size <= 0 || line === '') return 0;
    const f = isBold(item.fontWeight) ? fonts().bold : fonts().regular;
    return f.width(line, size);
  };
}
