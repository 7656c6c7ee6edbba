import type { Config } from 'vega-lite';
import type { MethodFamily } from '../../study/cell.js';

/**
 * The one font family every figure names. The PNG renderer loads exactly this
 * family from the DejaVu files it ships with (report-fonts.ts), so a PNG
 * looks the same on every machine; a browser showing the SVG falls back to its
 * sans-serif when DejaVu Sans is not installed.
 */
export const FIGURE_FONT = 'DejaVu Sans';

/** Shared look: white background, light grid, bold panel headers, legend on the right. */
export const FIGURE_CONFIG: Config = {
  font: `${FIGURE_FONT}, sans-serif`,
  background: 'white',
  padding: 12,
  view: { stroke: '#b0b0b0' },
  axis: { labelFontSize: 11, titleFontSize: 12, titleFontWeight: 'normal', gridColor: '#e8e8e8', labelColor: '#222', titleColor: '#222' },
  header: { labelFontSize: 12, labelFontWeight: 'bold', labelColor: '#222' },
  legend: { labelFontSize: 11, titleFontSize: 12, titleFontWeight: 'normal', labelLimit: 320, symbolSize: 70 },
  title: { fontSize: 14, fontWeight: 'bold', subtitleFontSize: 11, subtitleColor: '#444', anchor: 'start', offset: 10 },
};

export const PANEL = { width: 230, height: 190 } as const;

const FAMILY_WORD: Readonly<Record<MethodFamily, string>> = { ssl: 'SSL', sl: 'SL', random: 'random init' };
const FAMILY_ORDER: Readonly<Record<MethodFamily, number>> = { ssl: 0, sl: 1, random: 2 };

// Cool colours for SSL, warm for SL: the arms read apart at a glance, the methods within an arm by hue.
const PALETTE: Readonly<Record<MethodFamily, readonly string[]>> = {
  ssl: ['#1f5fa8', '#2a9d8f', '#6a4c93', '#4cc9f0', '#264653'],
  sl: ['#d62828', '#f77f00', '#9c6644', '#e5989b', '#bc4749'],
  random: ['#7f7f7f'],
};
// Circles for SSL, squares for SL: the arms differ in print too.
const SHAPE: Readonly<Record<MethodFamily, string>> = { ssl: 'circle', sl: 'square', random: 'diamond' };

/** One coloured series of a figure: a method (or toy arm) of a family. */
export interface Series {
  readonly family: MethodFamily;
  /** Legend text: 'simsiam (SSL)'. */
  readonly label: string;
}

export function seriesLabel(method: string, family: MethodFamily, suffix = ''): string {
  return `${method}${suffix} (${FAMILY_WORD[family]})`;
}

/** Colour and shape of every series of a report, so a method looks the same in every figure. */
export type Palette = ReadonlyMap<string, { readonly family: MethodFamily; readonly color: string; readonly shape: string }>;

const bySeriesOrder = (a: Series, b: Series): number => FAMILY_ORDER[a.family] - FAMILY_ORDER[b.family] || a.label.localeCompare(b.label);

/** Colours by family, in legend order (SSL, then SL, then the rest; by name within). */
export function seriesPalette(series: readonly Series[]): Palette {
  const unique = [...new Map(series.map((s) => [s.label, s])).values()].sort(bySeriesOrder);
  const used: Record<MethodFamily, number> = { ssl: 0, sl: 0, random: 0 };
  return new Map(unique.map((s) => [s.label, { family: s.family, color: PALETTE[s.family][used[s.family]++ % PALETTE[s.family].length]!, shape: SHAPE[s.family] }]));
}

/** The scales of one figure: its own series in legend order, coloured as in the whole report. */
export function seriesScales(series: readonly Series[], palette: Palette): { domain: string[]; color: string[]; shape: string[]; index: Map<string, number> } {
  const unique = [...new Map(series.map((s) => [s.label, s])).values()].sort(bySeriesOrder);
  // A series the report palette lacks (a toy arm split by n) takes the next colours of its family.
  const used: Record<MethodFamily, number> = { ssl: 0, sl: 0, random: 0 };
  for (const p of palette.values()) used[p.family]++;
  const extra = new Map(unique.filter((s) => !palette.has(s.label)).map((s) => [s.label, { color: PALETTE[s.family][used[s.family]++ % PALETTE[s.family].length]!, shape: SHAPE[s.family] }]));
  const style = (s: Series): { color: string; shape: string } => palette.get(s.label) ?? extra.get(s.label)!;
  return { domain: unique.map((s) => s.label), color: unique.map((s) => style(s).color), shape: unique.map((s) => style(s).shape), index: new Map(unique.map((s, i) => [s.label, i])) };
}
