import type { CellResult, MethodFamily } from '../../study/cell.js';
import type { GradCamExample, GradCamExampleSet } from '../../study/semi-synthetic/gradcam-examples.js';
import { encodePng } from '../png-encode.js';
import { gradCamOverlay, jet, stripOf, type RgbImage } from '../gradcam-overlay.js';
import { FIGURE_FONT, seriesLabel } from './figure-style.js';

/** Raster pixels per composite pixel: a 28 x 32 composite becomes 168 x 192. */
const RASTER_SCALE = 6;
/** The SVG draws each overlay at half its raster size, so the report's 2x PNG shows the raster 1:1. */
const DRAW_SCALE = 2;
const GAP = 8;
const ROW_LABEL = 200;
const TOP = 92;
const BELOW_TILE = 30;
/** Narrowest figure: room for the title lines. */
const MIN_WIDTH = 760;

const FAMILY_ORDER: Readonly<Record<MethodFamily, number>> = { ssl: 0, sl: 1, random: 2 };

/** One arm's overlays, raster and file name. */
export interface OverlayStrip {
  /** File name in the figures folder: 'gradcam-simclr-s0.png'. */
  readonly file: string;
  readonly png: Uint8Array;
  readonly set: GradCamExampleSet;
}

/** The overlay figure: an SVG (embedding the overlays) plus each arm's strip as its own PNG. */
export interface GradCamFigure {
  readonly name: string;
  readonly title: string;
  readonly caption: string;
  readonly svg: string;
  readonly strips: readonly OverlayStrip[];
  /** Overlays drawn. */
  readonly tiles: number;
}

const escape = (text: string): string => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const pct = (x: number | undefined): string => (x === undefined || !Number.isFinite(x) ? '—' : `${Math.round(100 * x)}%`);
const dataUri = (png: Uint8Array): string => `data:image/png;base64,${Buffer.from(png).toString('base64')}`;

/** The example order of a row: frequent composites first, then rare ones. */
function ordered(examples: readonly GradCamExample[]): GradCamExample[] {
  return [...examples.filter((e) => e.kind === 'frequent'), ...examples.filter((e) => e.kind === 'rare')];
}

/**
 * The sets to draw: those of finished cells of the same configuration as
 * their result, at one seed (the one with the most arms, the lowest of ties:
 * every row then shows the same test composites), one row per arm (SSL, SL,
 * then random init). Stale files (no such cell, another configuration) are
 * left out.
 */
export function overlaySets(sets: readonly GradCamExampleSet[], results: readonly CellResult[]): GradCamExampleSet[] {
  const done = new Map(results.filter((r) => r.status === 'done' && r.cell.protocol === 'semi-synthetic').map((r) => [r.cell.id, r]));
  const current = sets.filter((s) => done.get(s.cellId)?.configHash === s.configHash && s.examples.length > 0);
  if (current.length === 0) return [];
  const arms = new Map<number, number>();
  for (const s of current) arms.set(s.seed, (arms.get(s.seed) ?? 0) + 1);
  const [seed] = [...arms].sort(([sa, a], [sb, b]) => b - a || sa - sb)[0]!;
  return current.filter((s) => s.seed === seed).sort((a, b) => FAMILY_ORDER[a.family] - FAMILY_ORDER[b.family] || a.method.localeCompare(b.method));
}

/**
 * Grad-CAM overlays of the semi-synthetic study: one row per arm, the same
 * test composites in every row (they depend on the seed only), frequent
 * classes (label on the left) then rare ones (label on the right). Each tile
 * is the composite in grayscale with its map in jet colours on top; the
 * dashed line is the seam between the halves; under it, the share of that
 * map's mass on the label half. Rows name the arm and its cell's mean shares.
 */
export function gradCamFigure(sets: readonly GradCamExampleSet[], results: readonly CellResult[]): GradCamFigure | undefined {
  const rows = overlaySets(sets, results);
  if (rows.length === 0) return undefined;
  const metricsOf = new Map(results.map((r) => [r.cell.id, r.metrics]));
  const strips: OverlayStrip[] = [];
  const columns = Math.max(...rows.map((s) => s.examples.length));
  const first = ordered(rows[0]!.examples)[0]!;
  const tileW = (first.image.width * RASTER_SCALE) / DRAW_SCALE;
  const tileH = (first.image.height * RASTER_SCALE) / DRAW_SCALE;
  const rowH = tileH + BELOW_TILE + 12;
  const width = Math.max(MIN_WIDTH, ROW_LABEL + columns * (tileW + GAP) + 12);
  const height = TOP + rows.length * rowH + 46;
  const parts: string[] = [];
  const text = (x: number, y: number, body: string, attrs = ''): void => void parts.push(`<text x="${x}" y="${y}" ${attrs}>${escape(body)}</text>`);
  const seed = rows[0]!.seed;
  text(12, 22, `Grad-CAM of the probes' true-class scores, seed ${seed}`, 'font-size="14" font-weight="bold"');
  text(12, 40, 'Each map is scaled to its own maximum; the dashed line is the seam between the halves.', 'font-size="11" fill="#444"');
  text(12, 55, "Under each tile: the class, and the share of the map's mass on the label half (—: an all-zero map).", 'font-size="11" fill="#444"');
  const kinds = ordered(rows[0]!.examples).map((e) => e.kind);
  const frequentColumns = kinds.filter((k) => k === 'frequent').length;
  const header = (from: number, count: number, body: string): void => {
    if (count > 0) text(ROW_LABEL + from * (tileW + GAP), TOP - 14, body, 'font-size="12" font-weight="bold"');
  };
  header(0, frequentColumns, 'frequent: label on the left');
  header(frequentColumns, kinds.length - frequentColumns, 'rare: label on the right');

  let tiles = 0;
  rows.forEach((set, row) => {
    const examples = ordered(set.examples);
    const overlays: RgbImage[] = examples.map((e) => gradCamOverlay(e, RASTER_SCALE));
    const strip = stripOf(overlays, GAP * (RASTER_SCALE / DRAW_SCALE));
    strips.push({ file: `gradcam-${set.method}-s${set.seed}.png`.replace(/[^A-Za-z0-9._-]/g, '-'), png: encodePng(strip.width, strip.height, strip.rgb), set });
    const top = TOP + row * rowH;
    const metrics = metricsOf.get(set.cellId) ?? {};
    text(12, top + tileH / 2 - 6, seriesLabel(set.method, set.family), 'font-size="12" font-weight="bold"');
    text(12, top + tileH / 2 + 10, `label half: frequent ${pct(metrics['gradcam.frequent.labelShare'])}`, 'font-size="11" fill="#333"');
    text(12, top + tileH / 2 + 24, `rare ${pct(metrics['gradcam.rare.labelShare'])}, probe ${pct(metrics['rare.linear'])}`, 'font-size="11" fill="#333"');
    examples.forEach((e, column) => {
      const x = ROW_LABEL + column * (tileW + GAP);
      parts.push(`<image x="${x}" y="${top}" width="${tileW}" height="${tileH}" preserveAspectRatio="none" href="${dataUri(encodePng(overlays[column]!.width, overlays[column]!.height, overlays[column]!.rgb))}"/>`);
      parts.push(`<line x1="${x + tileW / 2}" y1="${top}" x2="${x + tileW / 2}" y2="${top + tileH}" stroke="white" stroke-width="1" stroke-dasharray="3 3" opacity="0.8"/>`);
      text(x, top + tileH + 13, `${e.className.replace(/^(frequent|rare) /, '')}${e.prediction === e.label ? '' : ' ✗'}`, 'font-size="10" fill="#222"');
      text(x, top + tileH + 26, `label half ${pct(e.share)}`, 'font-size="10" fill="#222"');
      tiles++;
    });
  });

  // The colour bar: the map's value relative to its maximum.
  const barTop = TOP + rows.length * rowH + 8;
  const stops = Array.from({ length: 11 }, (_, i) => {
    const [r, g, b] = jet(i / 10).map((v) => Math.round(255 * v));
    return `<stop offset="${i * 10}%" stop-color="rgb(${r},${g},${b})"/>`;
  }).join('');
  parts.push(`<defs><linearGradient id="gradcam-jet">${stops}</linearGradient></defs>`);
  parts.push(`<rect x="${ROW_LABEL}" y="${barTop}" width="220" height="10" fill="url(#gradcam-jet)"/>`);
  text(ROW_LABEL, barTop + 24, '0', 'font-size="10"');
  text(ROW_LABEL + 150, barTop + 24, 'map maximum', 'font-size="10"');
  text(12, barTop + 9, '✗: the probe got it wrong', 'font-size="10" fill="#444"');

  const svg =
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="${FIGURE_FONT}, sans-serif">` +
    `<rect width="100%" height="100%" fill="white"/>${parts.join('')}</svg>`;
  return {
    name: 'gradcam-overlays',
    title: `Grad-CAM overlays of the semi-synthetic study (seed ${seed})`,
    caption:
      `Grad-CAM (Selvaraju et al.) of each arm's frozen encoder under its linear probe, for the probe's score of the true class, on the same test composites in every row: ` +
      `${frequentColumns} of frequent classes (the label is the left half; the right half is a random image of a rare class) and ${kinds.length - frequentColumns} of rare classes ([blank | rare image]). ` +
      'Grayscale composite with the map upsampled bilinearly on top (blue low, red high, each map scaled to its maximum); the number under a tile is the share of its map on the label half. ' +
      'docs/paper.md expects supervised pre-training to look at the left half of frequent composites only, and SSL at the whole image.',
    svg,
    strips,
    tiles,
  };
}
